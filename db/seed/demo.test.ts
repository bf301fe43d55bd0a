import { spawnSync } from "node:child_process";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, resolveDatabaseUrl } from "../client";
import { people, users } from "../schema";
import { seedDemo } from "./demo";

describe("demo seed", () => {
  it("seeds once: a second start keeps the data and adds nothing", async () => {
    const database = await openDatabase(resolveDatabaseUrl());
    await migrateDatabase(database);
    const first = await seedDemo(database);
    expect(first?.map((a) => a.role).sort()).toEqual(["admin", "author", "hr", "hr", "learner", "learner"]);
    const before = await database.read.select({ n: count() }).from(people);
    expect(await seedDemo(database)).toBeNull();
    const after = await database.read.select({ n: count() }).from(people);
    expect(after).toEqual(before);
    expect((await database.read.select({ n: count() }).from(users))[0]!.n).toBe(6);
    database.close();
  });
});

describe("npm start with a bad database setting", () => {
  it.each([
    ["postgres://db.example/lms", /^Error: DATABASE_URL "postgres:\/\/db.example\/lms" has the unsupported scheme/],
    ["file:package.json/data/lms.db", /^Error: Cannot use the data directory .* \(ENOTDIR\)/],
  ])("DATABASE_URL=%s fails with one sentence and no stack trace", (url, message) => {
    const r = spawnSync("node_modules/.bin/tsx", ["scripts/start.ts"], { env: { ...process.env, DATABASE_URL: url, PORT: "0" }, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
