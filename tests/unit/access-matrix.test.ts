/**
 * The access matrix (issue 9): every route file under app/routes, every loader and action, called in-process as
 * seven actors, with the status each must get. The route list is read from the folder, so a new route file without
 * a row here fails the first test. Object-level rows (another person's attempt or certificate, another unit's
 * report, export or import) use ids that exist and belong to someone else: they must answer 403/404, never data.
 * And "loaders never mutate": every loader for every actor leaves every table's rows unchanged.
 * How and why: docs/decisions/0011-access-matrix-and-append-only-audit.md.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, users } from "#db/schema";
import { seedDemo } from "#db/seed/demo";
import { getLucia } from "~/auth/lucia.server";
import { saveAnswer, startAttempt, submitAttempt } from "~/assessments/attempts.server";
import type { Paper } from "~/assessments/draw";
import { getDatabase } from "~/db.server";
import { ensureCountersBuilt } from "~/reports/counters.server";
import { previewRosterImport } from "~/reports/roster-import.server";
import { scopeFromGrants } from "~/reports/scope.server";
import { issuedCertificate } from "../factories/certificates";
import { answerKey, markLessonsRead, TEST_COURSE, writeTestContent } from "../factories/exams";

const ROUTES_DIR = path.resolve("app/routes");
const BASE = "http://localhost";
const ACTORS = ["anon", "learner", "commune", "hrA", "hrB", "author", "admin"] as const;
type Actor = (typeof ACTORS)[number];
/** The demo accounts (db/seed/demo.ts): hrA is the ministry officer (G06), hrB the Cà Mau province officer (96). */
const USERNAMES: Record<Exclude<Actor, "anon">, string> = {
  learner: "hocvien",
  commune: "canboxa",
  hrA: "nhansu.bo",
  hrB: "nhansu.tinh",
  author: "tacgia",
  admin: "quantri",
};

/** 200 ok · "login" redirect to /login · "redirect" any other 3xx · 400/401/403/404/405/409. */
type Outcome = 200 | "login" | "redirect" | 400 | 401 | 403 | 404 | 405 | 409;
type Row = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
const all = (o: Outcome): Row => [o, o, o, o, o, o, o];
const signedIn = (o: Outcome): Row => ["login", o, o, o, o, o, o];
/** anon, learner, commune, hrA, hrB, author, admin */
const row = (...r: Row): Row => r;

interface Fixtures {
  certA: string; // hocvien's certificate (G06-VP, inside hrA's scope)
  certB: string; // a Cà Mau person's certificate (96-SNV, inside hrB's scope)
  attemptOpen: string; // canboxa's attempt in progress
  attemptDone: string; // hocvien's submitted attempt
  importB: string; // a roster import run by hrB for unit 96
  openQuestion: string; // a question of attemptOpen's paper
  learnerUserId: string; // hocvien's account id
}

interface Call {
  /** URL path and query; `:x` names are filled from the fixtures. */
  url: (f: Fixtures) => string;
  params: (f: Fixtures) => Record<string, string>;
  loader?: Row;
  /** Expected action outcome with `form` posted; "none" when the module has no action (Remix answers 405). */
  action?: Row;
  form?: (f: Fixtures) => Record<string, string>;
  /** A JSON body instead of a form (the autosave endpoint). */
  json?: (f: Fixtures) => unknown;
  /** A fresh session for each action call (the action ends the session it is called with). */
  freshSession?: boolean;
  /** Why a row exists beyond the route's own (object-level checks). */
  note?: string;
}

const none = () => ({});
/** One row per route file: several calls when a route needs object-level checks. */
const MATRIX: Record<string, Call[]> = {
  "[.well-known].jwks[.]json.ts": [{ url: () => "/.well-known/jwks.json", params: none, loader: all(200) }],
  "_index.tsx": [{ url: () => "/", params: none }],
  "account.tsx": [{ url: () => "/account", params: none, loader: signedIn(200), action: signedIn(400), form: () => ({ intent: "unknown" }) }],
  "account_.data[.]json.ts": [{ url: () => "/account/data.json", params: none, loader: signedIn(200), note: "always the caller's own data: there is no id to change" }],
  "admin_.audit.tsx": [{ url: () => "/admin/audit?action=role.", params: none, loader: row("login", 403, 403, 403, 403, 403, 200) }],
  "admin_.audit_.export.ts": [{ url: () => "/admin/audit/export", params: none, loader: row("login", 403, 403, 403, 403, 403, 200) }],
  "admin_.users.tsx": [{ url: () => "/admin/users?q=hoc", params: none, loader: row("login", 403, 403, 403, 403, 403, 200), action: row("login", 403, 403, 403, 403, 403, 400), form: () => ({ username: "?" }) }],
  "admin_.users_.$userId.tsx": [
    {
      url: (f) => `/admin/users/${f.learnerUserId}`,
      params: (f) => ({ userId: f.learnerUserId }),
      loader: row("login", 403, 403, 403, 403, 403, 200),
      action: row("login", 403, 403, 403, 403, 403, 400),
      form: () => ({ intent: "grant", role: "admin", unitCode: "" }),
      note: "hocvien's account: an HR officer cannot grant roles, even inside their scope",
    },
  ],
  "admin.tsx": [{ url: () => "/admin", params: none, loader: row("login", 403, 403, 403, 403, 403, 200) }],
  "admin_.targets.tsx": [
    { url: () => "/admin/targets", params: none, loader: row("login", 403, 403, 403, 403, 403, 200), action: row("login", 403, 403, 403, 403, 403, 400), form: () => ({ code: "T-DS-100", percent: "x" }) },
  ],
  "author.$slug.tsx": [{ url: () => `/author/${TEST_COURSE}`, params: () => ({ slug: TEST_COURSE }), loader: row("login", 403, 403, 403, 403, 200, 200) }],
  "author._index.tsx": [{ url: () => "/author", params: none, loader: row("login", 403, 403, 403, 403, 200, 200) }],
  "author_.items.tsx": [{ url: () => "/author/items", params: none, loader: row("login", 403, 403, 403, 403, 200, 200) }],
  "author_.items_.$slug.tsx": [{ url: () => `/author/items/${TEST_COURSE}`, params: () => ({ slug: TEST_COURSE }), loader: row("login", 403, 403, 403, 403, 200, 200) }],
  "certificates.$serial.ts": [
    { url: (f) => `/certificates/${f.certA}.pdf`, params: (f) => ({ serial: `${f.certA}.pdf` }), loader: row("login", 200, 403, 200, 403, 403, 200), note: "hocvien's PDF: the holder, hrA (scope) and admin only" },
  ],
  "certificates.$serial_.openbadge[.]json.ts": [
    { url: (f) => `/certificates/${f.certB}/openbadge.json`, params: (f) => ({ serial: f.certB }), loader: row("login", 403, 403, 403, 200, 403, 200), note: "a Cà Mau certificate: hrB and admin only" },
  ],
  "credentials.$id.ts": [
    { url: () => "/credentials/basic_digital_skills", params: () => ({ id: "basic_digital_skills" }), loader: all(200), note: "the Achievement a badge names: public" },
    { url: () => "/credentials/not-a-token", params: () => ({ id: "not-a-token" }), loader: all(404), note: "a credential only by its unguessable QR token" },
  ],
  "issuers.$code.ts": [{ url: () => "/issuers/NO-SUCH-BODY", params: () => ({ code: "NO-SUCH-BODY" }), loader: all(404), note: "public Profile; unknown issuing body is 404" }],
  "certificates._index.tsx": [{ url: () => "/certificates", params: none, loader: signedIn(200) }],
  "course-assets.$slug.$.ts": [{ url: () => `/course-assets/${TEST_COURSE}/none.png`, params: () => ({ slug: TEST_COURSE, "*": "none.png" }), loader: signedIn(404) }],
  "courses.$slug.$lesson.tsx": [
    { url: () => `/courses/${TEST_COURSE}/mat-khau`, params: () => ({ slug: TEST_COURSE, lesson: "mat-khau" }), loader: signedIn(200), action: all(400), form: () => ({ intent: "unknown" }), note: "the form is parsed before the session is read: a bad form is 400 for everyone" },
  ],
  "courses.$slug._index.tsx": [{ url: () => `/courses/${TEST_COURSE}`, params: () => ({ slug: TEST_COURSE }), loader: signedIn(200) }],
  "courses._index.tsx": [{ url: () => "/courses", params: none, loader: signedIn(200) }],
  "courses_.$slug_.exam.tsx": [
    {
      url: () => `/courses/${TEST_COURSE}/exam`,
      params: () => ({ slug: TEST_COURSE }),
      loader: signedIn(200),
      action: row("login", 409, "redirect", 409, 409, 409, 409),
      note: "start: hocvien already passed, canboxa resumes the open attempt, the others have not read the lessons",
    },
  ],
  "exam.$attemptId.save.tsx": [
    {
      url: (f) => `/exam/${f.attemptOpen}/save`,
      params: (f) => ({ attemptId: f.attemptOpen }),
      loader: all(405),
      action: row(401, 404, 200, 404, 404, 404, 404),
      json: (f) => ({ questionId: f.openQuestion, selected: [], seq: 1 }),
      note: "canboxa's open attempt: only canboxa reaches validation, everyone else gets 404",
    },
  ],
  "exam.$attemptId.tsx": [
    { url: (f) => `/exam/${f.attemptOpen}`, params: (f) => ({ attemptId: f.attemptOpen }), loader: row("login", 404, 200, 404, 404, 404, 404),
      action: row("login", 404, "redirect", 404, 404, 404, 404),
      form: () => ({ intent: "submit", reason: "candidate" }),
      note: "another person's attempt is never readable or submittable by id, not even by an admin",
    },
  ],
  "exam.$attemptId_.result.tsx": [
    { url: (f) => `/exam/${f.attemptDone}/result`, params: (f) => ({ attemptId: f.attemptDone }), loader: row("login", 200, 404, 404, 404, 404, 404) },
  ],
  "healthz.ts": [{ url: () => "/healthz", params: none, loader: all(200) }],
  "home.tsx": [{ url: () => "/home", params: none, loader: signedIn(200) }],
  "hr._index.tsx": [{ url: () => "/hr", params: none, loader: row("login", 403, 403, 200, 200, 403, 200) }],
  "hr.import.tsx": [
    { url: () => "/hr/import", params: none, loader: row("login", 403, 403, 200, 200, 403, 200), action: row("login", 403, 403, 400, 400, 403, 400), form: () => ({}) },
    {
      url: (f) => `/hr/import?id=${f.importB}`,
      params: none,
      loader: row("login", 403, 403, 404, 200, 403, 200),
      action: row("login", 403, 403, 404, 409, 403, 409),
      form: (f) => ({ intent: "commit", id: f.importB }),
      note: "hrB's import by id: hrA can neither see nor commit it; hrB and admin are refused because it has errors",
    },
  ],
  "hr.import_.errors.tsx": [
    { url: (f) => `/hr/import/errors?id=${f.importB}&format=csv`, params: none, loader: row("login", 403, 403, 404, 200, 403, 200), note: "hrB's import: hrA gets 404" },
  ],
  "hr.units.$code.tsx": [{ url: () => "/hr/units/96", params: () => ({ code: "96" }), loader: row("login", 403, 403, 403, 200, 403, 200) }],
  "hr.units.$code_.communes.tsx": [{ url: () => "/hr/units/96/communes", params: () => ({ code: "96" }), loader: row("login", 403, 403, 403, 200, 403, 200) }],
  "hr.units.$code_.export.tsx": [{ url: () => "/hr/units/96/export?table=coverage&format=csv", params: () => ({ code: "96" }), loader: row("login", 403, 403, 403, 200, 403, 200) }],
  "hr.units.$code_.missing.tsx": [{ url: () => "/hr/units/96/missing", params: () => ({ code: "96" }), loader: row("login", 403, 403, 403, 200, 403, 200) }],
  "hr.units.$code_.print.tsx": [{ url: () => "/hr/units/96/print", params: () => ({ code: "96" }), loader: row("login", 403, 403, 403, 200, 403, 200) }],
  "hr_.attempts.tsx": [{ url: () => "/hr/attempts?unit=96", params: none, loader: row("login", 403, 403, 403, 200, 403, 200) }],
  "hr_.certificates.$serial.tsx": [
    {
      url: (f) => `/hr/certificates/${f.certB}`,
      params: (f) => ({ serial: f.certB }),
      loader: row("login", 403, 403, 403, 200, 403, 200),
      action: row("login", 403, 403, 403, 400, 403, 400),
      form: () => ({ intent: "revoke", reason: "" }),
      note: "a Cà Mau certificate: hrA can neither read nor revoke it",
    },
  ],
  "hr_.certificates._index.tsx": [{ url: () => "/hr/certificates", params: none, loader: row("login", 403, 403, 200, 200, 403, 200) }],
  "hr_.certificates.export[.]zip.ts": [{ url: () => "/hr/certificates/export.zip", params: none, loader: row("login", 403, 403, 200, 200, 403, 200) }],
  "lang.tsx": [{ url: () => "/lang", params: none, loader: all("redirect"), action: all("redirect"), form: () => ({ locale: "en", redirectTo: "/" }) }],
  "learning.tsx": [{ url: () => "/learning", params: none, loader: signedIn(200) }],
  "login.tsx": [{ url: () => "/login", params: none, loader: row(200, "redirect", "redirect", "redirect", "redirect", "redirect", "redirect"), action: all(400), form: () => ({}) }],
  "logout.tsx": [{ url: () => "/logout", params: none, loader: all("redirect"), action: all("redirect"), form: () => ({}), freshSession: true }],
  "search.tsx": [{ url: () => "/search?q=mat", params: none, loader: signedIn(200) }],
  "status.$unit.$listId.ts": [{ url: () => "/status/VN/0", params: () => ({ unit: "VN", listId: "0" }), loader: all(404) }],
  "v.$token.tsx": [{ url: () => "/v/not-a-token", params: () => ({ token: "not-a-token" }), loader: all(200) }],
  "verify.tsx": [{ url: () => "/verify", params: none, loader: all(200), action: all(200), form: (f) => ({ serial: f.certA }) }],
};

const ctx = {} as AppLoadContext;
let fixtures: Fixtures;
const cookies = new Map<Actor, string>();
const userIds = new Map<Actor, string>();

function routeFiles(): string[] {
  return readdirSync(ROUTES_DIR).filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f)).sort();
}

async function newCookie(actor: Actor): Promise<string> {
  if (actor === "anon") return "";
  const lucia = await getLucia();
  const session = await lucia.createSession(userIds.get(actor)!, {});
  return lucia.createSessionCookie(session.id).serialize().split(";")[0]!;
}

function outcomeOf(r: unknown): Outcome {
  const res = r instanceof Response ? r : null;
  const status = res?.status ?? (r as { init?: { status?: number } } | null)?.init?.status ?? 200;
  if (status >= 300 && status < 400) {
    const to = res?.headers.get("Location") ?? "";
    return to.startsWith("/login") ? "login" : "redirect";
  }
  return status as Outcome;
}

async function call(fn: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    return outcomeOf(await fn());
  } catch (e) {
    if (e instanceof Response) return outcomeOf(e);
    throw e;
  }
}

type Handler = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => unknown;
const modules = new Map<string, { loader?: Handler; action?: Handler }>();
async function mod(file: string) {
  if (!modules.has(file)) modules.set(file, await import(/* @vite-ignore */ path.join(ROUTES_DIR, file)));
  return modules.get(file)!;
}

function request(url: string, cookie: string, body?: { form?: Record<string, string>; json?: unknown }): Request {
  const headers = new Headers(cookie ? { Cookie: cookie } : {});
  if (!body) return new Request(BASE + url, { headers });
  headers.set("Origin", BASE);
  if (body.json !== undefined) {
    headers.set("Content-Type", "application/json");
    return new Request(BASE + url, { method: "POST", headers, body: JSON.stringify(body.json) });
  }
  return new Request(BASE + url, { method: "POST", headers, body: new URLSearchParams(body.form ?? {}) });
}

/** Every row of every table, as text (the whole database is small: reference units and the demo seed). */
async function snapshot(): Promise<Map<string, string>> {
  const { read } = await getDatabase();
  const tables = (await read.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name`)).map((t) => t.name);
  const out = new Map<string, string>();
  for (const t of tables) {
    const rows = await read.all<Record<string, unknown>>(sql.raw(`select * from "${t}" order by rowid`));
    out.set(t, JSON.stringify(rows));
  }
  return out;
}

beforeAll(async () => {
  const database = await getDatabase();
  await seedDemo(database);
  const { exam, dir } = writeTestContent({ lessons: ["mat-khau"] });
  // The lesson page as the compiler writes it (the loader returns it; nothing here runs the MDX code).
  const page = { code: "", frontmatter: { title: "Mật khẩu", summary: "Mật khẩu an toàn.", minutes: 10 }, headings: [], text: "Mật khẩu", wordCount: 2 };
  writeFileSync(path.join(dir, TEST_COURSE, "mat-khau.vi.json"), JSON.stringify(page));
  for (const [actor, username] of Object.entries(USERNAMES) as [Exclude<Actor, "anon">, string][]) {
    const [u] = await database.read.select({ id: users.id, personId: users.personId }).from(users).where(eq(users.username, username));
    userIds.set(actor, u!.id);
  }
  for (const a of ACTORS) cookies.set(a, await newCookie(a));

  const personOf = async (actor: Actor) => (await database.read.select({ p: users.personId }).from(users).where(eq(users.id, userIds.get(actor)!)))[0]!.p!;
  // hocvien passes the exam (a real certificate is issued); canboxa starts one and leaves it open.
  const learner = await personOf("learner");
  await markLessonsRead(database, learner, TEST_COURSE);
  const started = await startAttempt(learner, TEST_COURSE);
  if (!started?.ok) throw new Error(`start failed: ${JSON.stringify(started)}`);
  const [a] = await database.read.select().from(attempts).where(eq(attempts.id, started.attemptId));
  const key = answerKey(exam);
  let seq = 1;
  for (const q of (JSON.parse(a!.paperJson) as Paper).questions) await saveAnswer(learner, started.attemptId, { questionId: q.id, selected: key.get(q.id)!, seq: seq++ });
  await submitAttempt(learner, started.attemptId, "candidate");
  const commune = await personOf("commune");
  await markLessonsRead(database, commune, TEST_COURSE);
  const open = await startAttempt(commune, TEST_COURSE);
  if (!open?.ok) throw new Error(`start failed: ${JSON.stringify(open)}`);
  const certA = await database.read.all<{ serial: string }>(sql`select serial from certificates where person_id = ${learner}`);
  const certB = await issuedCertificate(database, { unitCode: "96-SNV", fullName: "Lê Thị Cà Mau" });
  const hrB = { id: userIds.get("hrB")!, label: "user:nhansu.tinh" };
  const preview = await previewRosterImport(
    scopeFromGrants([{ role: "hr", unitId: "ou-96", unitCode: "96", unitPath: "/VN/96/" }], hrB),
    { unitCode: "96", mode: "partial", fileName: "three-bad-rows.csv", bytes: readFileSync("tests/fixtures/roster/three-bad-rows.csv") },
    { userId: hrB.id, label: hrB.label },
  );
  const [o] = await database.read.select().from(attempts).where(eq(attempts.id, open.attemptId));
  const openQuestion = (JSON.parse(o!.paperJson) as Paper).questions[0]!.id;
  fixtures = { certA: certA[0]!.serial, certB: certB.serial, attemptOpen: open.attemptId, attemptDone: started.attemptId, importB: preview.id!, openQuestion, learnerUserId: userIds.get("learner")! };
});

describe("access matrix", () => {
  it("has a row for every route file, and no row for a file that is gone", () => {
    const files = routeFiles();
    expect(files.filter((f) => !(f in MATRIX)), "route files without a matrix row (add one to tests/unit/access-matrix.test.ts)").toEqual([]);
    expect(Object.keys(MATRIX).filter((f) => !files.includes(f)), "matrix rows for route files that no longer exist").toEqual([]);
  });

  it("lists a loader row exactly when the module has a loader, and an action row exactly when it has an action", async () => {
    const wrong: string[] = [];
    for (const [file, calls] of Object.entries(MATRIX)) {
      const m = await mod(file);
      if (Boolean(m.loader) !== calls.some((c) => c.loader)) wrong.push(`${file}: loader ${m.loader ? "exported" : "absent"}`);
      if (Boolean(m.action) !== calls.some((c) => c.action)) wrong.push(`${file}: action ${m.action ? "exported" : "absent"} (no action = Remix answers 405 to a POST)`);
    }
    expect(wrong).toEqual([]);
  });

  it("every loader answers each actor as the matrix says, and no loader changes a single row", async () => {
    // The one write a read may cause: the coverage counters are a derived cache (app/reports/counters.server.ts)
    // brought up to date by the first report read of a day. Bring them up to date first; anything after is a bug.
    // Sessions would be the other legitimate one (lucia slides an expiry past half-life): these are fresh, so
    // they are compared too.
    await ensureCountersBuilt();
    const before = await snapshot();
    const got: string[] = [];
    const want: string[] = [];
    for (const [file, calls] of Object.entries(MATRIX)) {
      const m = await mod(file);
      for (const c of calls) {
        if (!c.loader || !m.loader) continue;
        for (const [i, actor] of ACTORS.entries()) {
          const outcome = await call(() => m.loader!({ request: request(c.url(fixtures), cookies.get(actor)!), params: c.params(fixtures), context: ctx }));
          got.push(`${file} GET ${actor} → ${outcome}`);
          want.push(`${file} GET ${actor} → ${c.loader[i]}`);
        }
      }
    }
    expect(got).toEqual(want);
    const after = await snapshot();
    const changed = [...before.keys()].filter((t) => before.get(t) !== after.get(t));
    expect(changed, "tables a loader changed").toEqual([]);
  });

  it("every action answers each actor as the matrix says (refusals before any work)", async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const [file, calls] of Object.entries(MATRIX)) {
      const m = await mod(file);
      for (const c of calls) {
        if (!c.action || !m.action) continue;
        for (const [i, actor] of ACTORS.entries()) {
          const cookie = c.freshSession ? await newCookie(actor) : cookies.get(actor)!;
          const outcome = await call(() => m.action!({ request: request(c.url(fixtures), cookie, { form: c.form?.(fixtures), json: c.json?.(fixtures) }), params: c.params(fixtures), context: ctx }));
          got.push(`${file} POST ${actor} → ${outcome}`);
          want.push(`${file} POST ${actor} → ${c.action[i]}`);
        }
      }
    }
    expect(got).toEqual(want);
  });
});
