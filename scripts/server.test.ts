/**
 * Connection handling of the production server: idle keep-alive sockets are kept long enough that a client
 * reusing one (an exam candidate's next autosave) never meets a socket the server has just closed.
 */
import { request, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { applyConnectionLimits, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from "./server";

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

describe("server connection limits", () => {
  it("keeps idle connections for 65 s, tells the client so, and allows headers longer than that", async () => {
    server = applyConnectionLimits(createServer((_req, res) => res.end("ok")));
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThanOrEqual(61_000); // longer than a proxy's usual 60 s idle timeout
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(HEADERS_TIMEOUT_MS).toBeGreaterThan(KEEP_ALIVE_TIMEOUT_MS);
    const { port } = server.address() as AddressInfo;
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/", headers: { Connection: "keep-alive" } }, (res) => {
        res.resume();
        res.on("end", () => resolve(String(res.headers["keep-alive"])));
      });
      req.on("error", reject);
      req.end();
    });
    expect(keepAlive).toBe("timeout=65");
  });
});
