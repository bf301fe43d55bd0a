import { describe, expect, it } from "vitest";
import { issueCertificate, makePeople, makeUnit, setCertificateStatus } from "../../tests/factories/reports";
import { missingPeople, missingPeopleStream } from "./missing.server";
import { nationalScope } from "./scope.server";

describe("people lacking a credential", () => {
  it("pages through the whole subtree in order with a cursor, matching the count and the export", async () => {
    await makeUnit("96-MS1", "96");
    await makeUnit("96-MS2", "96");
    await makeUnit("96-MS2-A", "96-MS2");
    const ids = await makePeople([
      ...Array.from({ length: 70 }, (_, i) => ({ unitCode: "96-MS1", fullName: `Người Một ${String(i).padStart(3, "0")}` })),
      ...Array.from({ length: 45 }, (_, i) => ({ unitCode: i % 2 ? "96-MS2" : "96-MS2-A", fullName: `Người Hai ${String(i).padStart(3, "0")}`, isItDx: i < 10 })),
    ]);
    // Certified people are not listed; a revoked certificate does not count; an expired one neither.
    await issueCertificate({ personId: ids[0]!, issuedAt: Date.now() - 86_400_000 });
    const revoked = await issueCertificate({ personId: ids[1]!, issuedAt: Date.now() - 86_400_000 });
    await setCertificateStatus(revoked, "revoked", Date.now() - 3_600_000);
    await issueCertificate({ personId: ids[2]!, issuedAt: Date.now() - 400 * 86_400_000, expiresAt: Date.now() - 86_400_000 });

    const seen: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (let page = 0; page < 10; page++) {
      const r = await missingPeople(nationalScope(), { unitCode: "96", targetCode: "T-DS-100", after });
      total = r.total;
      seen.push(...r.rows.map((p) => p.fullName));
      if (!r.next) break;
      after = r.next;
    }
    const mine = seen.filter((n) => n.startsWith("Người "));
    expect(mine).toHaveLength(114);
    expect(new Set(mine).size).toBe(114);
    expect(mine).not.toContain("Người Một 000");
    expect(mine).toContain("Người Một 001");
    expect(mine).toContain("Người Một 002");
    expect(total).toBe(seen.length);
    const streamed: string[] = [];
    for await (const p of missingPeopleStream(nationalScope(), { unitCode: "96", targetCode: "T-DS-100" }, Date.now(), 7)) streamed.push(p.fullName);
    expect(streamed.sort()).toEqual([...seen].sort());

    const it = await missingPeople(nationalScope(), { unitCode: "96-MS2", targetCode: "T-DM-50", q: "Hai 00" });
    expect(it.rows.map((p) => p.fullName)).toEqual(["Người Hai 001", "Người Hai 003", "Người Hai 005", "Người Hai 007", "Người Hai 009", "Người Hai 000", "Người Hai 002", "Người Hai 004", "Người Hai 006", "Người Hai 008"]);
    expect(it.total).toBe(10);
  });
});
