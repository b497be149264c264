import { readOptions } from './options';
import { ensureSeeded } from './seed';

// `pnpm --filter @tickets/bench seed --tickets 1000000`: seed ahead of a run (the driver seeds too).
const options = readOptions();
for (const tickets of options.scales) {
  await ensureSeeded({
    serverUrl: options.serverUrl,
    tickets,
    force: options.reseed,
    prefix: options.databasePrefix,
  });
}
