/**
 * The session adapter's one-query lookup (lucia.server.ts) answers exactly as the drizzle adapter's two queries
 * did, for a live session, an unknown one, and after the user's row changed.
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
    const live = await ours.getSessionAndUser(session.id);
    expect(live).toEqual(await theirs.getSessionAndUser(session.id));
    expect(live[0]).toMatchObject({ id: session.id, userId, attributes: {} });
    expect(live[1]).toMatchObject({ id: userId, attributes: { status: "active", locale: "vi" } });
    expect(await ours.getSessionAndUser("no-such-session")).toEqual(await theirs.getSessionAndUser("no-such-session"));
    await database.write((tx) => tx.update(users).set({ status: "disabled", displayName: "Đã khóa" }).where(eq(users.id, userId)));
    const changed = await ours.getSessionAndUser(session.id);
    expect(changed).toEqual(await theirs.getSessionAndUser(session.id));
    expect(changed[1]?.attributes).toMatchObject({ status: "disabled", displayName: "Đã khóa" });
  });
});
