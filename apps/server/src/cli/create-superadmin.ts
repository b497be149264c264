import { parseArgs } from 'node:util';
import { AppError, createSuperadmin } from '@tickets/core';
import { openDatabase } from '../compose';
import { loadCliEnv, loadEnvOrExit } from '../env';
import { createLogger } from '../logger';
import { promptSecret } from './prompt';

const usage = `Creates a superadmin account (the first account of a new installation).

Usage: pnpm create-superadmin --email <email> --name <name>

The password is read from SUPERADMIN_PASSWORD, or asked on stdin (10 to 256 characters).
The database is the server's: DATABASE_URL, or else the embedded one in DATA_DIR (stop the server first).`;

function fail(message: string): never {
  process.stderr.write(`create-superadmin: ${message}\n`);
  process.exit(1);
}

let args: { email?: string; name?: string; help?: boolean };
try {
  args = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!args.email || !args.name) fail(`--email and --name are required.\n\n${usage}`);

const env = loadEnvOrExit(loadCliEnv);
const password =
  env.superadminPassword ?? (await promptSecret('Password').catch((error: Error) => fail(error.message)));
// Progress lines would drown the one result line: only warnings and errors, on stderr.
const logger = createLogger('warn', process.stderr);

const database = await openDatabase(env.database, logger).catch((error: Error) => fail(error.message));
try {
  const user = await createSuperadmin(database.db, { email: args.email, password, name: args.name });
  process.stdout.write(`Created superadmin ${user.email} (id ${user.id}).\n`);
} catch (error) {
  await database.close();
  if (error instanceof AppError) fail(error.message);
  throw error;
}
await database.close();
