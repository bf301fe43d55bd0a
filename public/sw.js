/*
 * Offline reading (issue 10). Lessons a learner opened stay readable without a connection: course pages, their
 * Remix data requests and course images are network-first with a cached fallback; built assets are cache-first.
 * Exams, login and every non-GET request always go to the network. Logging out clears the caches (shared desk PCs).
 */
const VERSION = "v1";
const PAGES = `lms-pages-${VERSION}`;
const ASSETS = `lms-assets-${VERSION}`;
const MAX_PAGES = 300;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (!key.endsWith(VERSION)) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "clear") event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(ASSETS)]));
});

const isReadable = (url) =>
  (/^\/courses(\/|$|\.data)/.test(url.pathname) && !/\/exam(\/|$|\.data)/.test(url.pathname)) ||
  url.pathname === "/learning" ||
  url.pathname === "/learning.data" ||
  url.pathname === "/__manifest" ||
  url.pathname.startsWith("/course-assets/");

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/assets/") || /\.(woff2?|ico|svg)$/.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (isReadable(url)) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage(url)));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    // Never keep a login redirect or an error in place of the lesson.
    if (response.ok && !response.redirected) {
      await cache.put(request, response.clone());
      trim(cache);
    }
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreVary: true });
    if (hit) return hit;
    if (request.mode === "navigate") return offlinePage(new URL(request.url));
    throw error;
  }
}

async function trim(cache) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - MAX_PAGES; i++) await cache.delete(keys[i]);
}

function offlinePage(url) {
  const exam = /\/exam/.test(url.pathname);
  const vi = exam
    ? "Bài thi cần kết nối mạng. Các câu trả lời đã lưu vẫn được giữ trên máy chủ; hãy kết nối lại để tiếp tục."
    : "Bạn đang ngoại tuyến và trang này chưa được lưu trên máy. Các bài học bạn đã mở vẫn đọc được.";
  const en = exam
    ? "The exam needs a connection. Your saved answers are kept on the server; reconnect to continue."
    : "You are offline and this page has not been saved on this device. Lessons you opened before are still readable.";
  const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Ngoại tuyến / Offline</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6"><h1>Không có kết nối mạng</h1><p>${vi}</p><p lang="en">${en}</p><p><a href="/learning">Học tập của tôi / My learning</a></p></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
