/** `npm run bench`: see scripts/bench/harness.ts. */
import { main } from "./bench/harness";

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version") process.exit(0);
    if (typeof err.code === "string" && err.code.startsWith("commander.")) process.exit(err.exitCode ?? 1);
    console.error(`Error: ${err.message ?? String(e)}`);
    process.exit(1);
  },
);
