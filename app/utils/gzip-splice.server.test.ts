import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptsGzip, deflatePart, gzipParts } from "./gzip-splice.server";

describe("gzip from separately deflated parts", () => {
  it("decompresses to the parts' text in order, with any tool that reads gzip", () => {
    const body = "Nguyễn Thị Lan — dữ liệu ".repeat(2000);
    const parts = [deflatePart("<!DOCTYPE html><p>đầu</p>"), deflatePart(body, 9), deflatePart("<p>cuối</p></html>")];
    const gz = gzipParts(parts);
    expect(zlib.gunzipSync(gz).toString("utf8")).toBe(`<!DOCTYPE html><p>đầu</p>${body}<p>cuối</p></html>`);
    // A streaming decoder (what browsers do) and the trailer's CRC/size checks agree.
    expect(zlib.gunzipSync(gz, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).length).toBe(Buffer.byteLength(`<!DOCTYPE html><p>đầu</p>${body}<p>cuối</p></html>`));
    // The big repeated part really is compressed.
    expect(gz.length).toBeLessThan(Buffer.byteLength(body) / 10);
  });

  it("the same cached part can be spliced between different personal parts", () => {
    const shared = deflatePart("<article>" + "bài học ".repeat(500) + "</article>");
    for (const name of ["Lan", "Minh", ""]) {
      const out = zlib.gunzipSync(gzipParts([deflatePart(`<h1>${name}</h1>`), shared, deflatePart(`<footer>${name}</footer>`)])).toString();
      expect(out).toBe(`<h1>${name}</h1><article>${"bài học ".repeat(500)}</article><footer>${name}</footer>`);
    }
  });

  it("a corrupted part fails the CRC check instead of passing for the page", () => {
    const gz = gzipParts([deflatePart("abc"), deflatePart("def")]);
    gz[gz.length - 8] ^= 0xff;
    expect(() => zlib.gunzipSync(gz)).toThrow();
  });

  it("empty parts and an empty page", () => {
    expect(zlib.gunzipSync(gzipParts([])).toString()).toBe("");
    expect(zlib.gunzipSync(gzipParts([deflatePart(""), deflatePart("x"), deflatePart("")])).toString()).toBe("x");
  });

  it("reads Accept-Encoding", () => {
    expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
    expect(acceptsGzip("br;q=1.0, gzip;q=0.8")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("br")).toBe(false);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip("identity")).toBe(false);
  });
});
