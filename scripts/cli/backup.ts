/**
 * `backup FILE` and `restore FILE` (issue 9's names); `db:backup --out FILE` and `db:restore FILE` are the
 * earlier names, kept as aliases.
 */
import type { Command } from "commander";
import { backupDatabase, restoreDatabase } from "../../db/backup";
import { resolveDatabaseUrl } from "../../db/client";
import { prepareDatabase } from "../prepare-db";

async function backup(file: string) {
  const database = await prepareDatabase();
  try {
    const r = await backupDatabase(database, file);
    console.log(`Backup written to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, integrity check ok: ${r.people} people, ${r.certificates} certificates).`);
  } finally {
    database.close();
  }
}

async function restore(file: string, opts: { force?: boolean }) {
  const r = await restoreDatabase(resolveDatabaseUrl(), file, { force: opts.force });
  console.log(`Restored ${r.target} from ${file}: ${r.people} people, ${r.certificates} certificates.${r.keptAs ? ` The previous database was kept as ${r.keptAs}.` : ""}`);
}

export function register(program: Command) {
  program
    .command("backup")
    .description("Write a consistent, checked copy of the database to FILE while the server keeps running (VACUUM INTO).")
    .argument("<file>", "the backup file to create (never overwritten)")
    .action(backup);

  program
    .command("db:backup")
    .description("Same as `backup FILE` (earlier name).")
    .requiredOption("--out <file>", "the backup file to create (never overwritten)")
    .action((opts: { out: string }) => backup(opts.out));

  program
    .command("restore")
    .alias("db:restore")
    .description("Replace the database with a backup file (stop the server first). A damaged or foreign file is refused; the current database is kept beside it.")
    .argument("<file>", "a backup made by `backup`")
    .option("--force", "restore even though the database looks open")
    .action(restore);
}
