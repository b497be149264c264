import { readOptions } from './options';
import { nodeVersion } from './processes';
import { ensureSeeded } from './seed';
import { buildServer } from './server-bundle';
import { measureStartup, startupTable } from './startup';

// `pnpm --filter @tickets/bench startup [--tickets N] [--repeat R] [--node <path>]`: the start-up table
// alone (PostgreSQL on the bench database of N tickets, seeded if missing; 100,000 by default).
const options = readOptions();
const tickets = options.scales[0] as number;
const { databaseUrl } = await ensureSeeded({ serverUrl: options.serverUrl, tickets, force: options.reseed });
buildServer();
const times = await measureStartup({ databaseUrl, repeat: options.repeat, node: options.node });
process.stdout.write(
  `node ${nodeVersion(options.node)}\n\n${startupTable(times, `PostgreSQL (${tickets.toLocaleString('en')} tickets)`)}\n`,
);
