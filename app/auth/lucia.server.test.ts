/**
 * The prepared session check (lucia.server.ts readSessionAndUser) answers exactly what lucia's drizzle adapter
 * answers, so lucia's expiry and attribute handling see the same thing.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { expect, it } from "vitest";
import { sessions, users } from "#db/schema";
import { getDatabase } from "~/db.server";
import { makeUserWithSession } from "../../tests/factories/reports";
import { readSessionAndUser } from "./lucia.server";

it("one prepared join gives the adapter's session and user", async () => {
  const u = await makeUserWithSession("phien.chuan.bi", "learner", "01");
  const id = u.cookie.split("=")[1]!;
  const { read } = await getDatabase();
  const adapter = new DrizzleSQLiteAdapter(read, sessions, users);
  const ours = await readSessionAndUser(read, id);
  expect(ours[0]?.id).toBe(id);
  expect(ours[1]?.id).toBe(u.userId);
  expect(ours[0]?.expiresAt).toBeInstanceOf(Date);
  expect(ours).toEqual(await adapter.getSessionAndUser(id));
  expect(await readSessionAndUser(read, "khong-co-phien-nay")).toEqual([null, null]);
  expect(await adapter.getSessionAndUser("khong-co-phien-nay")).toEqual([null, null]);
});
