/** `./en?on-demand`: the English catalogue as its own browser chunk (vite.config.ts `catalogueOnDemand`). */
declare module "*?on-demand" {
  export const en: Record<string, string>;
}
