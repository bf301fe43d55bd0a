/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * Browser bundles carry the Vietnamese catalogue only (ADR 0009). In the client build, app/i18n/index.ts gets an
 * empty English catalogue, which app/i18n/load.client.ts fills before hydration from `./en?on-demand`: that
 * import and everything it imports under app/i18n/ are separate module copies, so the English objects land in
 * their own chunk and tree-shaking drops them from the shared one. Server builds and tests are unchanged.
 */
function catalogueOnDemand(): Plugin {
  const EMPTY = "\0lms-catalogue-en-empty";
  const EMPTY_ADMIN = "\0lms-catalogue-admin-empty";
  const Q = "?on-demand";
  return {
    name: "lms-catalogue-on-demand",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (options?.ssr || !importer) return null;
      const from = importer.split("?")[0]!.replace(/\\/g, "/");
      if (source === "./en" && from.endsWith("/app/i18n/index.ts")) return EMPTY;
      // The admin domain's messages reach browsers with the routes that use them (app/i18n/admin.ts).
      if (source === "./messages/admin" && from.endsWith("/app/i18n/vi.ts")) return EMPTY_ADMIN;
      if (!source.endsWith(Q) && !importer.endsWith(Q)) return null;
      const resolved = await this.resolve(source.replace(Q, ""), from, { ...options, skipSelf: true });
      if (!resolved || resolved.external || !resolved.id.replace(/\\/g, "/").includes("/app/i18n/")) return resolved;
      return { ...resolved, id: resolved.id + Q };
    },
    load(id) {
      if (id === EMPTY_ADMIN) return "export const vi = {}; export const en = {};";
      return id === EMPTY ? "export const en = {};" : null;
    },
  };
}

export default defineConfig({
  plugins: [!process.env.VITEST && remix(remixConfig), !process.env.VITEST && catalogueOnDemand(), tsconfigPaths()],
  server: { host: "127.0.0.1" },
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  ssr: { external: ["@node-rs/argon2", "@libsql/client", "libsql"] },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "scripts/**/*.test.ts", "tests/unit/**/*.test.{ts,tsx}"],
    environment: "node",
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/per-file.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
