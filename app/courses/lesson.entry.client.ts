/**
 * The only script of a lesson page served as a plain document (ADR 0017; bundled by scripts/build-server.ts into
 * build/client/assets/lesson-<hash>.js). What root.tsx and the React layout do on other pages, done here with the
 * DOM: offline reading (service worker), forgetting cached lessons on logout, the flash notice's close button;
 * then the lesson's own behaviour (lesson-enhance.ts).
 */
import { enhanceLessonPage } from "./lesson-enhance";

if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => undefined);

// Lessons cached for offline reading belong to this user: forget them on a shared PC (as SiteHeader does).
document.addEventListener("submit", (ev) => {
  const form = ev.target as HTMLFormElement | null;
  if (form?.getAttribute("action") === "/logout") navigator.serviceWorker?.controller?.postMessage("clear");
});

for (const toast of document.querySelectorAll<HTMLElement>(".toast[data-close]")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "toast__close";
  button.setAttribute("aria-label", toast.dataset.close ?? "");
  button.textContent = "×";
  button.addEventListener("click", () => toast.remove());
  toast.append(button);
}

const host = document.querySelector<HTMLElement>(".lesson-host");
if (host) enhanceLessonPage(host);
