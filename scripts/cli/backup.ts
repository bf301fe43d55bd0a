import type { Command } from "commander";
import { backupDatabase, restoreDatabase } from "../../db/backup";
import { resolveDatabaseUrl } from "../../db/client";
import { prepareDatabase } from "../prepare-db";

export function register(program: Command) {
  program
    .command("db:backup")
    .description("Write a consistent copy of the database to FILE while the server keeps running (VACUUM INTO).")
    .requiredOption("--out <file>", "the backup file to create (never overwritten)")
    .action(async (opts: { out: string }) => {
      const database = await prepareDatabase();
      const r = await backupDatabase(database, opts.out);
      console.log(`Backup written to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB).`);
      database.close();
    });

  program
    .command("db:restore")
    .description("Replace the database with a backup file (stop the server first). The current database is kept beside it.")
    .argument("<file>", "a backup made by db:backup")
    .option("--force", "restore even though the database looks open")
    .action(async (file: string, opts: { force?: boolean }) => {
      const r = await restoreDatabase(resolveDatabaseUrl(), file, { force: opts.force });
      console.log(`Restored ${r.target} from ${file}: ${r.people} people, ${r.certificates} certificates.${r.keptAs ? ` The previous database was kept as ${r.keptAs}.` : ""}`);
    });
}
