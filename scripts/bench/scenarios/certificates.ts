/**
 * `npm run bench` scenario "certificates":
 *  - /v/<token> throughput against the running server (target ≥ 3,000 req/s on 2 cores);
 *  - PDF rendering from a certificate row, warm (fonts parsed once): without PAdES ≤ 10 ms, with PAdES ≤ 25 ms;
 *  - bulk export: a streamed ZIP of 1,000 PAdES-signed PDFs, time per 1,000 (10,000 must take < 4 min → ≤ 24 s).
 *
 * Setup writes into the benchmark database (ctx.dbUrl): a department "G06-BENCHCERT" under G06 with 1,000 people
 * and one recognised certificate each (created once; later runs reuse them). The private keys go to the keys
 * directory next to that database, which is where the server under test looks for them.
 */
import { and, count, eq, like } from "drizzle-orm";
import { performance } from "node:perf_hooks";
import { certificates, orgUnits, people } from "../../../db/schema";
import { openDatabase, type Database } from "../../../db/client";

interface Ctx {
  baseUrl: string;
  dbUrl: string;
  login(username: string): Promise<unknown>;
  autocannon(opts: Record<string, unknown>): Promise<unknown>;
  timeIt<T>(label: string, fn: () => Promise<T> | T): Promise<unknown>;
  serverRss(): Promise<number> | number;
}
interface Row {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
}

const UNIT = "G06-BENCHCERT";
const N = 1000;

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { mean: +mean.toFixed(2), p95: +s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]!.toFixed(2) };
}

async function ensureBenchCertificates(database: Database): Promise<void> {
  const { issueRecognisedCertificate } = await import("../../../app/certificates/issue.server");
  const { newId } = await import("../../../app/utils/ids");
  const [g06] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, "G06"));
  if (!g06) throw new Error("certificates bench: the reference unit G06 is missing (run db:migrate)");
  const now = Date.now();
  const [existingUnit] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, UNIT));
  if (!existingUnit) {
    await database.write((tx) =>
      tx.insert(orgUnits).values({ id: `ou-${UNIT}`, parentId: g06.id, kind: "department", code: UNIT, nameVi: "Phòng đo hiệu năng chứng nhận", nameEn: "Certificate benchmark department", path: `${g06.path}${UNIT}/`, depth: g06.depth + 1, createdAt: now }),
    );
  }
  const [{ n } = { n: 0 }] = await database.read.select({ n: count() }).from(people).where(like(people.staffCode, "BENCHC%"));
  if (n < N) {
    const NAMES = ["Nguyễn Thị Hường", "Đặng Quốc Vượng", "Lê Thị Ánh Tuyết", "Trần Minh Khôi", "Phạm Thị Thu Trang", "Hoàng Văn Dũng"];
    const rows = Array.from({ length: N - n }, (_, i) => ({
      id: newId(),
      staffCode: `BENCHC${String(n + i + 1).padStart(5, "0")}`,
      fullName: `${NAMES[(n + i) % NAMES.length]}`,
      orgUnitId: `ou-${UNIT}`,
      category: "civil_servant" as const,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < rows.length; i += 200) await database.write((tx) => tx.insert(people).values(rows.slice(i, i + 200)));
  }
  const benchPeople = await database.read.select({ id: people.id }).from(people).where(like(people.staffCode, "BENCHC%"));
  const actor = { userId: null, label: "bench" };
  const issuedAt = now - 30 * 86_400_000;
  for (let i = 0; i < benchPeople.length; i += 100) {
    await database.write(async (tx) => {
      for (const p of benchPeople.slice(i, i + 100)) {
        await issueRecognisedCertificate(tx, { personId: p.id, credentialId: "basic_digital_skills", issuedAt, source: "Đo hiệu năng (benchmark)", actor });
      }
    });
  }
}

export default {
  name: "certificates",
  description: "Public verification /v/<token> throughput, PDF render time (with and without PAdES), streamed ZIP export of 1,000 signed PDFs",
  async run(ctx: Ctx): Promise<Row[]> {
    const previousUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = ctx.dbUrl; // keys directory = the server's (next to its database)
    const database = await openDatabase(ctx.dbUrl);
    const rows: Row[] = [];
    const row = (metric: string, value: number, unit: string, target?: string) => rows.push({ scenario: "certificates", metric, value, unit, ...(target ? { target } : {}) });
    try {
      const { loadRecordBySerial, loadRecordsByIds, payloadOf } = await import("../../../app/certificates/records.server");
      const { certificatesZipStream, renderRecordPdf } = await import("../../../app/certificates/render.server");
      const { encodeToken } = await import("../../../app/certificates/token");
      await ensureBenchCertificates(database);
      const ids = (
        await database.read
          .select({ id: certificates.id, serial: certificates.serial })
          .from(certificates)
          .innerJoin(people, eq(certificates.personId, people.id))
          .where(and(like(people.staffCode, "BENCHC%"), eq(certificates.source, "recognised")))
          .orderBy(certificates.serial)
          .limit(N)
      );
      const record = (await loadRecordBySerial(database.read, ids[0]!.serial))!;
      const token = encodeToken(payloadOf(record), record.signature);

      // 1. /v/<token> over HTTP.
      const url = `${ctx.baseUrl.replace(/\/+$/, "")}/v/${token}`;
      const probe = await fetch(url);
      if (probe.status !== 200 || !(await probe.text()).includes('data-status="valid"')) throw new Error(`certificates bench: ${url} does not answer valid (HTTP ${probe.status})`);
      const ac = (await ctx.autocannon({ url, connections: 50, duration: 10 })) as { requests?: { average?: number }; non2xx?: number; errors?: number; latency?: { p99?: number } };
      row("/v/<token> throughput", Math.round(ac.requests?.average ?? 0), "req/s", "≥ 3000");
      if (ac.latency?.p99 !== undefined) row("/v/<token> latency p99", ac.latency.p99, "ms");
      if ((ac.non2xx ?? 0) + (ac.errors ?? 0) > 0) row("/v/<token> non-2xx or errors", (ac.non2xx ?? 0) + (ac.errors ?? 0), "responses", "0");

      // 2. Rendering from the row, in this process (fonts parsed once, then warm).
      const recs = await loadRecordsByIds(database.read, ids.slice(0, 50).map((r) => r.id));
      const base = "https://hoctap.noivu.gov.vn";
      for (let i = 0; i < 20; i++) await renderRecordPdf(recs[i % recs.length]!, base, { database });
      for (const pades of [false, true]) {
        const ms: number[] = [];
        for (let i = 0; i < 200; i++) {
          const t0 = performance.now();
          await renderRecordPdf(recs[i % recs.length]!, base, { database, pades });
          ms.push(performance.now() - t0);
        }
        const s = stats(ms);
        row(pades ? "PDF render + PAdES, mean" : "PDF render (no PAdES), mean", s.mean, "ms", pades ? "≤ 25" : "≤ 10");
        row(pades ? "PDF render + PAdES, p95" : "PDF render (no PAdES), p95", s.p95, "ms");
      }

      // 3. Bulk export: the same stream the HR export route returns, read to the end.
      async function* batches() {
        for (let i = 0; i < ids.length; i += 200) yield ids.slice(i, i + 200).map((r) => r.id);
      }
      const t0 = performance.now();
      const reader = certificatesZipStream(batches(), base, { database }).getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
      const seconds = (performance.now() - t0) / 1000;
      const per1000 = (seconds * 1000) / ids.length;
      row("bulk export, time per 1,000 signed PDFs", +per1000.toFixed(2), "s", "≤ 24 (10,000 < 4 min)");
      row("bulk export, 10,000 PDFs (extrapolated)", +((per1000 * 10) / 60).toFixed(2), "min", "< 4");
      row("bulk export, ZIP size per 1,000", +((bytes / ids.length) * 1000 / 1_048_576).toFixed(1), "MB");
      const rss = await ctx.serverRss();
      row("server RSS after", Math.round(rss > 100_000 ? rss / 1_048_576 : rss), "MiB"); // bytes or MiB, whichever the harness gives
      return rows;
    } finally {
      database.close();
      if (previousUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previousUrl;
    }
  },
};
