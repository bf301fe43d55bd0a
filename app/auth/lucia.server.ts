/**
 * lucia 3 wiring (docs/decisions/0003-sessions-with-lucia-3.md). The drizzle adapter's writes are routed
 * through the single write path so a session write can never collide with an open transaction.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { eq, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { sessions, users } from "#db/schema";
import { getDatabase, type Database, type Db } from "~/db.server";

/** The user columns getUserAttributes reads (below): all a session lookup needs of the user. */
const SESSION_USER_COLUMNS = {
  username: users.username,
  displayName: users.displayName,
  personId: users.personId,
  locale: users.locale,
  status: users.status,
};

/**
 * The session and its user in one prepared query (the drizzle adapter builds two queries for every request;
 * ADR 0016), reading only the user columns lucia's getUserAttributes uses (not the password hash). Same shapes as
 * DrizzleSQLiteAdapter.getSessionAndUser otherwise; the session has no attributes of its own.
 */
function prepareSessionAndUser(read: Db) {
  return read
    .select({ sessionId: sessions.id, expiresAt: sessions.expiresAt, userId: users.id, ...SESSION_USER_COLUMNS })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(eq(sessions.id, sql.placeholder("id")))
    .prepare();
}

export class SingleWriterAdapter implements Adapter {
  private sessionAndUser: ReturnType<typeof prepareSessionAndUser>;
  constructor(private database: Database) {
    this.sessionAndUser = prepareSessionAndUser(database.read);
  }
  private reader() {
    return new DrizzleSQLiteAdapter(this.database.read, sessions, users);
  }
  private write<T>(fn: (a: DrizzleSQLiteAdapter) => Promise<T>) {
    return this.database.write((tx) => fn(new DrizzleSQLiteAdapter(tx as never, sessions, users)));
  }
  async getSessionAndUser(id: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const rows = await this.sessionAndUser.all({ id });
    if (rows.length !== 1) return [null, null];
    const { sessionId, expiresAt, userId, ...attributes } = rows[0]!;
    return [
      { id: sessionId, userId, expiresAt: new Date(expiresAt * 1000), attributes: {} },
      { id: userId, attributes },
    ];
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
    // Keep in step with SESSION_USER_COLUMNS (the session lookup reads only those).
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
