/**
 * The matchRoutes memo (route-match-cache.ts) answers exactly as @remix-run/router's matchRoutes for the app's kinds
 * of routes, points its answers at the tree it is asked with, never lets one caller's changes reach another, and
 * stays bounded.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { installMatchRoutesMemo, memoizeMatchRoutes } from "./route-match-cache";

const require = createRequire(import.meta.url);
type Routes = Parameters<typeof memoizeMatchRoutes>[0] extends infer F ? (F extends (r: infer R, ...a: never[]) => unknown ? R : never) : never;
const router = require("@remix-run/router") as { matchRoutes: (routes: unknown, location: unknown, basename?: string) => unknown };
const original = router.matchRoutes;

/** A tree like the app's (flat routes under root), built anew on each call as Remix does per render. */
function tree(): Routes {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "routes/_index", index: true },
        { id: "routes/courses._index", path: "courses", index: true },
        { id: "routes/courses.$slug", path: "courses/:slug", children: [{ id: "routes/courses.$slug._index", index: true }, { id: "routes/courses.$slug.$lesson", path: ":lesson" }] },
        { id: "routes/courses_.$slug_.exam", path: "courses/:slug/exam" },
        { id: "routes/exam.$attemptId", path: "exam/:attemptId" },
        { id: "routes/exam.$attemptId.save", path: "exam/:attemptId/save" },
        { id: "routes/exam.$attemptId_.result", path: "exam/:attemptId/result" },
        { id: "routes/course-assets.$slug.$", path: "course-assets/:slug/*" },
        { id: "routes/lang", path: "lang/:code?" },
        { id: "routes/CaseSensitive", path: "Case/Only", caseSensitive: true },
        { id: "routes/[.well-known].jwks[.]json", path: ".well-known/jwks.json" },
      ],
    },
  ] as unknown as Routes;
}

const PATHS = [
  "/", "", "/courses", "/courses/", "/courses/ky-nang-so", "/courses/ky-nang-so/mat-khau", "/courses/ky-nang-so/exam",
  "/exam/01abc", "/exam/01abc/", "/exam/01abc/save", "/exam/01abc/result", "/exam", "/course-assets/x/a/b/c.png",
  "/course-assets/x", "/lang", "/lang/en", "/case/only", "/Case/Only", "/.well-known/jwks.json", "/kh%C3%B3a%20h%E1%BB%8Dc",
  "/courses/k%C3%BD%20n%C4%83ng", "/no/such/page", "//double//slash",
];

describe("memoized matchRoutes", () => {
  it("answers as the router does, the first time and from memory, with routes of the tree it was given", () => {
    const memo = memoizeMatchRoutes(original as never);
    for (const basename of ["/", "/app"]) {
      for (const path of PATHS) {
        for (const round of [1, 2, 3]) {
          const routes = tree();
          const p = basename === "/" ? path : `/app${path}`;
          const got = memo(routes, p, basename) as { route: unknown }[] | null;
          expect(got, `${p} (round ${round})`).toEqual(original(routes, p, basename));
          got?.forEach((m, i) => expect(m.route).toBe((original(routes, p, basename) as { route: unknown }[])[i]!.route));
        }
      }
    }
    expect(memo.stats.hits).toBeGreaterThan(memo.stats.misses);
  });

  it("takes a location object by its pathname, and sends a search or hash to the router as is", () => {
    const memo = memoizeMatchRoutes(original as never);
    const routes = tree();
    expect(memo(routes, { pathname: "/exam/xyz" })).toEqual(original(routes, { pathname: "/exam/xyz" }));
    expect(memo(routes, "/exam/xyz?q=2#top")).toEqual(original(routes, "/exam/xyz?q=2#top"));
  });

  it("a caller changing its answer's params changes nobody else's", () => {
    const memo = memoizeMatchRoutes(original as never);
    const first = memo(tree(), "/exam/abc")!;
    first[first.length - 1]!.params.attemptId = "changed";
    const second = memo(tree(), "/exam/abc")!;
    expect(second[second.length - 1]!.params.attemptId).toBe("abc");
  });

  it("a different tree shape is a different answer", () => {
    const memo = memoizeMatchRoutes(original as never);
    const routes = tree();
    expect(memo(routes, "/exam/abc")).not.toBeNull();
    const without = tree();
    (without[0] as { children: { id: string }[] }).children = (without[0] as { children: { id: string }[] }).children.filter((r) => r.id !== "routes/exam.$attemptId");
    expect(memo(without, "/exam/abc")).toEqual(original(without, "/exam/abc"));
    expect(memo(without, "/exam/abc")).toBeNull();
  });

  it("remembers at most its bound", () => {
    const memo = memoizeMatchRoutes(original as never, 10);
    const routes = tree();
    for (let i = 0; i < 30; i++) memo(routes, `/exam/a${i}`);
    const misses = memo.stats.misses;
    memo(routes, "/exam/a29"); // recent: remembered
    memo(routes, "/exam/a0"); // long gone
    expect(memo.stats.misses).toBe(misses + 1);
  });

  it("installs once on the router module Remix loads", () => {
    installMatchRoutesMemo();
    installMatchRoutesMemo();
    const patched = (require("@remix-run/router") as { matchRoutes: { stats?: unknown } }).matchRoutes;
    expect(patched.stats).toBeDefined();
    expect(patched).not.toBe(original);
    router.matchRoutes = original; // leave the module as other tests expect it
  });
});
