/**
 * The admin domain's Vietnamese messages for browser bundles. Browsers get them only with the routes that use them
 * (the admin pages and the account page), not in the catalogue chunk every page loads: vite.config.ts leaves them
 * out of app/i18n/vi.ts in browser builds, so a learner's cold lesson page stays under 100 KB (ADR 0009). On the
 * server and in tests vi.ts has them already and this changes nothing. English comes whole with the on-demand
 * English chunk (en.ts). A route module that uses admin.*, audit.*, users.* or account.* keys calls this at its top
 * level, which runs before the route renders or hydrates.
 */
import { catalogues } from "./index";
import { vi } from "./messages/admin";

export function ensureAdminMessages(): void {
  if (!("admin.nav.users" in catalogues.vi)) Object.assign(catalogues.vi, vi);
}
