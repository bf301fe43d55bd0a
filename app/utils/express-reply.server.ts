/** Answers of the handlers scripts/server.ts mounts in front of Remix (ADR 0016): the same request id header Remix's getLoadContext sets. */
import { randomUUID } from "node:crypto";
import type { Response as ExpressResponse } from "express";

/** 302 to `location` (what the Remix actions' `redirect()` sends), with a fresh X-Request-Id. */
export function sendRedirect(res: ExpressResponse, location: string): void {
  res.setHeader("X-Request-Id", randomUUID());
  res.statusCode = 302;
  res.setHeader("Location", location);
  res.end();
}
