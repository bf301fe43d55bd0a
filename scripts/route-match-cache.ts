/**
 * A memo for @remix-run/router's `matchRoutes`, installed by the production server (ADR 0016).
 *
 * Remix matches the URL against the whole route tree several times per document: the server runtime
 * (matchServerRoutes), and lazy route discovery (getPartialManifest matches the page's parent paths, "/" and
 * "/exam" for an exam page, on every render). Each call flattens and ranks all routes and compiles a regular
 * expression per route: the router was 13 % of the workers' CPU while serving exam pages. The answer depends only
 * on the route tree's shape (each route's path, index, caseSensitive and children), the pathname and the basename,
 * so it is kept, by those, for the most recent MAX_ENTRIES paths. A kept answer is handed out as new match objects
 * (params copied) pointing at the routes of the tree it was asked with — Remix builds a new, equal tree per render.
 *
 * Only calls through the module's export are seen (Remix's own packages call `router.matchRoutes`); the router's
 * internal calls are unchanged. Anything unusual (a location object with a search or hash, a tree whose route
 * objects cannot be told apart) goes to the original function.
 */
import { createRequire } from "node:module";

export const MAX_ENTRIES = 2000;

interface RouteLike {
  id?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteLike[];
}
interface MatchLike {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  route: RouteLike;
}
type MatchRoutes = (routes: RouteLike[], location: string | { pathname?: string }, basename?: string) => MatchLike[] | null;
interface Kept {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  at: number[];
}

const INSTALLED = Symbol.for("lms.matchRoutesMemo");

/** The shape of a route tree (what matching reads), and where each route object sits in it. */
function describe(routes: RouteLike[]): { shape: string; places: Map<RouteLike, number[]> } {
  const places = new Map<RouteLike, number[]>();
  const walk = (list: RouteLike[], at: number[]): string =>
    list
      .map((r, i) => {
        const here = [...at, i];
        places.set(r, here);
        return `${JSON.stringify([r.id ?? null, r.path ?? null, r.index === true, r.caseSensitive === true])}${r.children?.length ? `(${walk(r.children, here)})` : ""}`;
      })
      .join(",");
  return { shape: walk(routes, []), places };
}

export function memoizeMatchRoutes(original: MatchRoutes, maxEntries = MAX_ENTRIES): MatchRoutes & { stats: { hits: number; misses: number } } {
  const trees = new WeakMap<RouteLike[], ReturnType<typeof describe>>();
  const kept = new Map<string, Kept[] | null>();
  const stats = { hits: 0, misses: 0 };
  const memo = function matchRoutes(routes: RouteLike[], location: string | { pathname?: string }, basename = "/") {
    const pathname = typeof location === "string" ? location : location?.pathname;
    if (!Array.isArray(routes) || typeof pathname !== "string" || /[?#]/.test(pathname)) return original(routes, location, basename);
    let tree = trees.get(routes);
    if (!tree) trees.set(routes, (tree = describe(routes)));
    const key = `${basename}\u0000${pathname}\u0000${tree.shape}`;
    const hit = kept.get(key);
    if (hit !== undefined) {
      kept.delete(key);
      kept.set(key, hit);
      stats.hits++;
      if (hit === null) return null;
      return hit.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: m.at.reduce<RouteLike>((r, i, n) => (n === 0 ? routes[i]! : r.children![i]!), routes[0]!) }));
    }
    stats.misses++;
    const result = original(routes, location, basename);
    const places = result?.map((m) => tree.places.get(m.route));
    if (places && places.some((p) => p === undefined)) return result;
    kept.set(key, result ? result.map((m, i) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, at: places![i]! })) : null);
    if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
    return result;
  } as MatchRoutes & { stats: typeof stats };
  memo.stats = stats;
  return memo;
}

/** Replaces the router's exported matchRoutes (the copy Remix's server and React packages load) with the memo. */
export function installMatchRoutesMemo(): void {
  const here = createRequire(import.meta.url);
  for (const from of ["@remix-run/server-runtime", "@remix-run/react"]) {
    const router = createRequire(here.resolve(from))("@remix-run/router") as { matchRoutes: MatchRoutes; [INSTALLED]?: boolean };
    if (router[INSTALLED]) continue;
    router.matchRoutes = memoizeMatchRoutes(router.matchRoutes);
    Object.defineProperty(router, INSTALLED, { value: true });
  }
}
