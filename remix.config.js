// Remix Vite plugin options. With the Vite plugin Remix never reads this file itself:
// vite.config.ts imports it and passes it to the plugin. Keeping the options here keeps
// the later move to React Router 7 a configuration change (see docs/decisions/0001).
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  ignoredRouteFiles: ["**/*.css", "**/*.test.*"],
  serverModuleFormat: "esm",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    unstable_optimizeDeps: true, // dev only: find client deps at startup (stack-notes pitfall #9)
  },
};
