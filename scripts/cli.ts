/**
 * `npm run cli -- <command>`: administration from the command line. Every command reads DATABASE_URL like the
 * server does and prints one clear sentence on bad input.
 */
import { Command, Option } from "commander";
import { eq } from "drizzle-orm";
import { orgUnits, ROLES, type Role } from "../db/schema";
import { REFERENCE_DATA_VERSION } from "../db/reference";
import { seedDemo, isDemoSeeded } from "../db/seed/demo";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CliError, exitOnConfigError, prepareDatabase } from "./prepare-db";

const program = new Command();
program.name("npm run cli --").description("Administration commands for the public-service learning system.").showHelpAfterError();

program
  .command("db:migrate")
  .description("Create and migrate the database named by DATABASE_URL and load the reference org tree (no demo data).")
  .action(async () => {
    const database = await prepareDatabase();
    console.log(`Database ${database.url} is migrated; reference data version ${REFERENCE_DATA_VERSION}.`);
    database.close();
  });

program
  .command("db:seed-demo")
  .description("Add the demo departments, people and accounts (only into a database without people or accounts).")
  .action(async () => {
    const database = await prepareDatabase();
    const created = await seedDemo(database);
    if (created) {
      console.log("Demo data created. Logins:");
      for (const a of created) console.log(`  ${a.role.padEnd(8)} ${a.username}  password: ${a.password}`);
    } else {
      console.log((await isDemoSeeded(database)) ? "The demo data is already there; nothing changed." : "This database already holds people or accounts; the demo seed never writes over real data. Nothing changed.");
    }
    database.close();
  });

program
  .command("user:create")
  .description("Create an account with a role scoped to an org unit.")
  .requiredOption("--username <name>", "login name (stored in lower case)")
  .requiredOption("--name <full name>", "display name")
  .addOption(new Option("--role <role>", "role to grant").choices([...ROLES]).default("learner"))
  .option("--unit <code>", "org unit code the role covers (VN = national)", "VN")
  .option("--password <password>", "initial password (or set LMS_PASSWORD)")
  .action(async (opts: { username: string; name: string; role: Role; unit: string; password?: string }) => {
    const password = opts.password ?? process.env.LMS_PASSWORD;
    if (!password) throw new CliError("Give a password with --password or the LMS_PASSWORD environment variable.");
    const database = await prepareDatabase();
    const [unit] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, opts.unit));
    if (!unit) throw new CliError(`There is no org unit with the code "${opts.unit}".`);
    const { createUser } = await import("../app/auth/accounts.server");
    const id = await createUser({ username: opts.username, displayName: opts.name, password, roles: [{ role: opts.role, orgUnitId: unit.id }] }, "cli");
    console.log(`Created account ${opts.username.toLowerCase()} (${id}) with role ${opts.role} over ${unit.code} ${unit.nameVi}.`);
    database.close();
  });

program
  .command("user:reset-password")
  .description("Set a new password for an account and end all its sessions.")
  .requiredOption("--username <name>", "login name")
  .option("--password <password>", "new password (or set LMS_PASSWORD)")
  .action(async (opts: { username: string; password?: string }) => {
    const password = opts.password ?? process.env.LMS_PASSWORD;
    if (!password) throw new CliError("Give a password with --password or the LMS_PASSWORD environment variable.");
    const database = await prepareDatabase();
    const { setPassword } = await import("../app/auth/accounts.server");
    await setPassword(opts.username, password, "cli");
    console.log(`Password reset for ${opts.username.toLowerCase()}; all of its sessions were ended.`);
    database.close();
  });

// Each domain adds its commands in scripts/cli/<domain>.ts, exporting `register(program)`.
const cliDir = path.join(path.dirname(new URL(import.meta.url).pathname), "cli");
for (const file of readdirSync(cliDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort()) {
  const mod = (await import(pathToFileURL(path.join(cliDir, file)).href)) as { register?: (p: Command) => void };
  mod.register?.(program);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  exitOnConfigError(e);
}
