import { afterEach, expect, it, vi } from "vitest";
import { orHttpError } from "./http.server";
import { CertificateError } from "./issue.server";
import { TimestampError } from "./timestamp.server";

afterEach(() => vi.restoreAllMocks());

async function thrown(fn: () => Promise<unknown>): Promise<Response> {
  try {
    await orHttpError(fn);
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("nothing thrown");
}

it("domain errors become their statuses; a time-stamping outage is a 503 with Retry-After, logged", async () => {
  expect((await thrown(async () => Promise.reject(new CertificateError("not_found", "no such certificate")))).status).toBe(404);
  expect((await thrown(async () => Promise.reject(new CertificateError("forbidden", "not yours")))).status).toBe(403);
  const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const res = await thrown(async () => Promise.reject(new TimestampError("time-stamping authority http://tsa.example did not answer: ECONNREFUSED")));
  expect(res.status).toBe(503);
  expect(res.headers.get("Retry-After")).toBe("60");
  expect(await res.text()).toContain("time-stamping service is not answering");
  expect(String(log.mock.calls[0]?.[0])).toContain("ECONNREFUSED");
  await expect(orHttpError(async () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
  expect(await orHttpError(async () => 42)).toBe(42);
});
