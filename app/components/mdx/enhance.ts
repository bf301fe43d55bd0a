/**
 * Progressive enhancement of a static MDX body (render.server.tsx) in the browser, by event delegation on the
 * body element, so it works for any number of components and survives client-side navigation (call it again
 * when the HTML changes; it returns its cleanup).
 * - SelfCheck: the no-JS options list and <details> are swapped for radio buttons/checkboxes, a Check button and
 *   a verdict in a live region.
 * - Term: Escape hides the tooltip until the word loses focus or the pointer leaves it.
 */
import { isSelfCheckCorrect } from "./self-check";

const q = <T extends Element>(el: ParentNode, selector: string) => el.querySelector<T>(selector);

function options(box: Element): HTMLInputElement[] {
  return [...box.querySelectorAll<HTMLInputElement>(".mdx-selfcheck__option input")];
}

function chosen(box: Element): number[] {
  return options(box)
    .filter((i) => i.checked)
    .map((i) => Number(i.value));
}

function hideResult(box: Element) {
  for (const i of options(box)) i.closest(".mdx-selfcheck__option")?.removeAttribute("data-state");
  const reveal = q<HTMLElement>(box, ".mdx-selfcheck__reveal");
  if (reveal) reveal.hidden = true;
}

function check(box: HTMLElement) {
  const selected = chosen(box);
  if (selected.length === 0) return;
  const answer = (box.dataset.answer ?? "").split(" ").filter(Boolean).map(Number);
  const right = isSelfCheckCorrect(selected, answer);
  for (const input of options(box)) {
    const i = Number(input.value);
    const label = input.closest(".mdx-selfcheck__option");
    const state = answer.includes(i) ? "correct" : selected.includes(i) ? "wrong" : null;
    if (state) label?.setAttribute("data-state", state);
    else label?.removeAttribute("data-state");
  }
  const rightVerdict = q<HTMLElement>(box, ".mdx-selfcheck__verdict--right");
  const wrongVerdict = q<HTMLElement>(box, ".mdx-selfcheck__verdict--wrong");
  if (rightVerdict) rightVerdict.hidden = !right;
  if (wrongVerdict) wrongVerdict.hidden = right;
  const reveal = q<HTMLElement>(box, ".mdx-selfcheck__reveal");
  if (reveal) reveal.hidden = false;
}

export function enhanceMdx(root: HTMLElement): () => void {
  for (const box of root.querySelectorAll<HTMLElement>(".mdx-selfcheck")) {
    const staticPart = q<HTMLElement>(box, ".mdx-selfcheck__static");
    const interactive = q<HTMLElement>(box, ".mdx-selfcheck__interactive");
    if (!staticPart || !interactive) continue;
    staticPart.hidden = true;
    interactive.hidden = false;
    const button = q<HTMLButtonElement>(box, ".mdx-selfcheck__button");
    if (button) button.disabled = chosen(box).length === 0;
  }

  const onChange = (e: Event) => {
    const box = (e.target as Element | null)?.closest?.<HTMLElement>(".mdx-selfcheck");
    if (!box) return;
    hideResult(box);
    const button = q<HTMLButtonElement>(box, ".mdx-selfcheck__button");
    if (button) button.disabled = chosen(box).length === 0;
  };
  const onClick = (e: Event) => {
    const button = (e.target as Element | null)?.closest?.(".mdx-selfcheck__button");
    const box = button?.closest<HTMLElement>(".mdx-selfcheck");
    if (box) check(box);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    (e.target as Element | null)?.closest?.(".mdx-term__word")?.parentElement?.setAttribute("data-dismissed", "");
  };
  const undismiss = (e: Event) => {
    const target = e.target as Element | null;
    const term = target?.classList?.contains("mdx-term") ? target : target?.closest?.(".mdx-term__word")?.parentElement;
    term?.removeAttribute("data-dismissed");
  };

  root.addEventListener("change", onChange);
  root.addEventListener("click", onClick);
  root.addEventListener("keydown", onKeyDown);
  root.addEventListener("focusout", undismiss);
  // mouseleave does not bubble, but capture listeners on an ancestor still see it.
  root.addEventListener("mouseleave", undismiss, true);
  return () => {
    root.removeEventListener("change", onChange);
    root.removeEventListener("click", onClick);
    root.removeEventListener("keydown", onKeyDown);
    root.removeEventListener("focusout", undismiss);
    root.removeEventListener("mouseleave", undismiss, true);
  };
}
