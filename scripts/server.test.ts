/**
 * Connection handling of the production server: idle keep-alive sockets are kept long enough that a client
 * reusing one (an exam candidate's next autosave) never meets a socket the server has just closed, while the
 * headers timeout (slowloris) still applies to each request — and not to the idle time between requests.
 */
import { Agent, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer } from "./server";

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function get(port: number, agent: Agent): Promise<{ keepAlive: string | undefined; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ keepAlive: res.headers["keep-alive"] as string | undefined, socket: req.socket }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("server connection limits", () => {
  it("keeps idle connections for 65 s and tells the client so", async () => {
    server = createHttpServer((_req, res) => res.end("ok"), {});
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    expect(server.keepAliveTimeout).toBe(65_000); // longer than a proxy's usual 60 s idle timeout
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { keepAlive } = await get((server.address() as AddressInfo).port, agent);
    agent.destroy();
    expect(keepAlive).toBe("timeout=65");
  });

  it("serves a second request on a socket that sat idle longer than the headers timeout", async () => {
    server = createHttpServer((_req, res) => res.end("ok"), { HEADERS_TIMEOUT_MS: "300", REQUEST_TIMEOUT_MS: "600" });
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(port, agent);
    await new Promise((r) => setTimeout(r, 1_500)); // idle: over the 300 ms headers timeout, twice the check interval
    const second = await get(port, agent);
    agent.destroy();
    expect(second.socket).toBe(first.socket);
  });
});
