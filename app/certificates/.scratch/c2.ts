import { readFileSync } from "node:fs";
import { inspectCertificatePdf, checkPadesIntegrity } from "../pdf-check.server";
const b = readFileSync("/tmp/s1.pdf");
const r = await inspectCertificatePdf(b);
console.log(JSON.stringify(r, null, 1).slice(0, 1500));
const m = Buffer.from(b); m[1000] ^= 1; console.log(checkPadesIntegrity(m));
console.log(checkPadesIntegrity(Buffer.concat([b, Buffer.from("\n1 0 obj\n<<>>\nendobj\n%%EOF\n")]))); 
let t0 = performance.now(); for (let i = 0; i < 50; i++) await inspectCertificatePdf(b); console.log("inspect ms", (performance.now() - t0) / 50);
