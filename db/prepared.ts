/**
 * Queries prepared once per connection. Building a query with drizzle (SQL string, parameter list, row mapping)
 * costs about as much as running a small indexed one; on the hottest reads (session check, lesson progress,
 * certificate status) the built query is kept per database handle and run with placeholders.
 *   const byId = preparedPerDb((db: Db) => db.select().from(t).where(eq(t.id, sql.placeholder("id"))).prepare());
 *   await byId(read).execute({ id });
 */
export function preparedPerDb<D extends object, Q>(build: (db: D) => Q): (db: D) => Q {
  const cache = new WeakMap<D, Q>();
  return (db) => {
    let q = cache.get(db);
    if (q === undefined) {
      q = build(db);
      cache.set(db, q);
    }
    return q;
  };
}
