import { integer } from "drizzle-orm/sqlite-core";

/** Milliseconds since the epoch. Every timestamp column in the schema except lucia's session expiry uses this. */
export const ms = (name: string) => integer(name);
export const bool = (name: string) => integer(name, { mode: "boolean" });
