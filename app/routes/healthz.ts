import { getDatabase } from "~/db.server";

/** Liveness and database status for load balancers and `npm start` checks. */
export async function loader() {
  const started = Date.now();
  try {
    const database = await getDatabase();
    await database.readClient.execute("SELECT 1");
    return Response.json({ status: "ok", database: "ok", latencyMs: Date.now() - started }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return Response.json(
      { status: "error", database: "unavailable", error: e instanceof Error ? e.message.split("\n")[0] : String(e) },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
