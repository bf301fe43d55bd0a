/**
 * The session adapter's one-query lookup (lucia.server.ts) answers as the drizzle adapter's two queries did — the
 * same session, and the same user as lucia sees it (getUserAttributes) — for a live session, an unknown one, and
 * after the user's row changed; and never reads the password hash.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "#db/schema";
import { getDatabase } from "~/db.server";
import { createLearner } from "../../tests/factories/exams";
import { getLucia, SingleWriterAdapter } from "./lucia.server";

describe("SingleWriterAdapter.getSessionAndUser", () => {
  it("matches DrizzleSQLiteAdapter for a live session, an unknown id and a changed user", async () => {
    const database = await getDatabase();
    const ours = new SingleWriterAdapter(database);
    const theirs = new DrizzleSQLiteAdapter(database.read, sessions, users);
    const { userId } = await createLearner(database);
    const session = await (await getLucia()).createSession(userId, {});
    const lucia = await getLucia();
    const seen = async (adapter: { getSessionAndUser(id: string): Promise<[unknown, { id: string; attributes: Record<string, unknown> } | null]> }, id: string) => {
      const [s, u] = await adapter.getSessionAndUser(id);
      return [s, u ? { id: u.id, attributes: (lucia as unknown as { getUserAttributes(a: unknown): unknown }).getUserAttributes(u.attributes) } : null];
    };
    const live = await ours.getSessionAndUser(session.id);
    expect(await seen(ours, session.id)).toEqual(await seen(theirs, session.id));
    expect(live[1]?.attributes).not.toHaveProperty("passwordHash");
    expect(live[0]).toMatchObject({ id: session.id, userId, attributes: {} });
    expect(live[1]).toMatchObject({ id: userId, attributes: { status: "active", locale: "vi" } });
    expect(await seen(ours, "no-such-session")).toEqual(await seen(theirs, "no-such-session"));
    await database.write((tx) => tx.update(users).set({ status: "disabled", displayName: "Đã khóa" }).where(eq(users.id, userId)));
    expect(await seen(ours, session.id)).toEqual(await seen(theirs, session.id));
    expect((await ours.getSessionAndUser(session.id))[1]?.attributes).toMatchObject({ status: "disabled", displayName: "Đã khóa" });
  });
});
