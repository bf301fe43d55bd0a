/**
 * lucia 3 wiring (docs/decisions/0003-sessions-with-lucia-3.md). The drizzle adapter's writes are routed
 * through the single write path so a session write can never collide with an open transaction.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { eq, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { preparedPerDb } from "#db/prepared";
import { sessions, users } from "#db/schema";
import { getDatabase, type Database, type Db } from "~/db.server";

/**
 * The session check every request makes: one prepared join (the drizzle adapter runs two queries, each built
 * anew), returning what the adapter returns (session with expiry as a Date; the user's columns as attributes).
 */
const sessionAndUser = preparedPerDb((db: Db) =>
  db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(sessions.userId, users.id)).where(eq(sessions.id, sql.placeholder("id"))).prepare(),
);

export async function readSessionAndUser(db: Db, id: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
  const rows = await sessionAndUser(db).execute({ id });
  if (rows.length !== 1) return [null, null];
  const { id: sessionId, userId, expiresAt, ...sessionAttributes } = rows[0]!.session;
  const { id: uid, ...userAttributes } = rows[0]!.user;
  return [
    { id: sessionId, userId, expiresAt: new Date(expiresAt * 1000), attributes: sessionAttributes },
    { id: uid, attributes: userAttributes as unknown as DatabaseUser["attributes"] },
  ];
}

class SingleWriterAdapter implements Adapter {
  constructor(private database: Database) {}
  private reader() {
    return new DrizzleSQLiteAdapter(this.database.read, sessions, users);
  }
  private write<T>(fn: (a: DrizzleSQLiteAdapter) => Promise<T>) {
    return this.database.write((tx) => fn(new DrizzleSQLiteAdapter(tx as never, sessions, users)));
  }
  getSessionAndUser(id: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    return readSessionAndUser(this.database.read, id);
  }
  getUserSessions(userId: string) {
    return this.reader().getUserSessions(userId);
  }
  setSession(session: DatabaseSession) {
    return this.write((a) => a.setSession(session));
  }
  updateSessionExpiration(id: string, expiresAt: Date) {
    return this.write((a) => a.updateSessionExpiration(id, expiresAt));
  }
  deleteSession(id: string) {
    return this.write((a) => a.deleteSession(id));
  }
  deleteUserSessions(userId: string) {
    return this.write((a) => a.deleteUserSessions(userId));
  }
  deleteExpiredSessions() {
    return this.write((a) => a.deleteExpiredSessions());
  }
}

function createLucia(database: Database) {
  return new Lucia(new SingleWriterAdapter(database), {
    // 30 days, renewed when less than half is left (lucia's sliding expiry).
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: "lms_session",
      attributes: { secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1", sameSite: "lax" },
    },
    getUserAttributes: (a) => ({
      username: a.username,
      displayName: a.displayName,
      personId: a.personId,
      locale: a.locale,
      status: a.status,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: {
      username: string;
      displayName: string;
      personId: string | null;
      locale: "vi" | "en";
      status: "active" | "disabled";
    };
  }
}

const g = globalThis as typeof globalThis & { __lucia?: { db: Database; lucia: ReturnType<typeof createLucia> } };

export async function getLucia() {
  const database = await getDatabase();
  if (!g.__lucia || g.__lucia.db !== database) g.__lucia = { db: database, lucia: createLucia(database) };
  return g.__lucia.lucia;
}
