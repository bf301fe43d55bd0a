/**
 * Compiles courses/ into build/content/ (see courses/README.md). Prints every problem as `file:line: message`
 * and exits 1 on any error, leaving the previous build/content untouched.
 *   tsx scripts/build-content.ts [--courses DIR] [--out DIR] [--laws FILE]
 */
import { runBuildContent } from "../app/courses/build-cli.server";

const code = await runBuildContent(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
