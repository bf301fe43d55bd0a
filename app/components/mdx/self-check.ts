/** Pure SelfCheck logic, shared by the component and its tests. */

/** True when exactly the correct options are selected (order does not matter). */
export function isSelfCheckCorrect(selected: readonly number[], answer: number | readonly number[]): boolean {
  const correct = typeof answer === "number" ? [answer] : answer;
  const chosen = new Set(selected);
  return chosen.size === new Set(correct).size && correct.every((i) => chosen.has(i));
}

/** 0 → "A", 1 → "B", … (option labels). */
export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index);
}
