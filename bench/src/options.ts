import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

// The bench is a developer tool run by hand, so it reads its flags and environment here, in one place.

export interface BenchOptions {
  /** Ticket counts to run against: one for a quick run, 10k/100k/1M with --full. */
  scales: number[];
  durationSeconds: number;
  connections: number;
  /** Runs per case; the table shows their median. */
  repeat: number;
  /** Re-seed even when the database already holds the requested number of tickets. */
  reseed: boolean;
  /** Skip the CPU-profiled run. */
  profile: boolean;
  /** Profile the cases whose name contains this text (`--profile`); null: the two hottest reads. */
  profileCases: string | null;
  /** The PostgreSQL server; the bench creates its own databases (tickets_bench_<n>) on it. */
  serverUrl: string;
  /** Only the cases whose name contains this text (`--only`). */
  only: string | null;
  /** Database name prefix (`BENCH_DATABASE_PREFIX`, default tickets_bench): a branch with its own schema keeps its own. */
  databasePrefix: string;
  /** The Node.js binary the servers run on (`--node`, e.g. the one `pnpm --filter @tickets/bench node24` fetches). */
  node: string;
  /** Server processes of the product server under load (`--workers`, its WORKERS setting; 1: no cluster). */
  workers: number;
}

export function readOptions(argv = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      tickets: { type: 'string' },
      full: { type: 'boolean', default: false },
      duration: { type: 'string' },
      connections: { type: 'string', default: '16' },
      repeat: { type: 'string' },
      reseed: { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      node: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'string' },
      workers: { type: 'string', default: '1' },
    },
  });
  const positive = (name: string, value: string) => {
    const number = Number(value.replace(/_/g, ''));
    if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name}: expected a positive integer`);
    return number;
  };
  const scales = values.tickets
    ? [positive('tickets', values.tickets)]
    : values.full
      ? [10_000, 100_000, 1_000_000]
      : [100_000];
  return {
    scales,
    durationSeconds: positive('duration', values.duration ?? (values.full ? '10' : '5')),
    connections: positive('connections', values.connections),
    repeat: positive('repeat', values.repeat ?? (values.full ? '3' : '1')),
    reseed: values.reseed,
    profile: !values['no-profile'],
    profileCases: values.profile ?? null,
    serverUrl:
      process.env.BENCH_DATABASE_SERVER_URL ??
      process.env.TEST_DATABASE_SERVER_URL ??
      'postgres://postgres@127.0.0.1:5432/postgres',
    only: values.only ?? null,
    databasePrefix: process.env.BENCH_DATABASE_PREFIX ?? 'tickets_bench',
    // pnpm runs the bench from bench/: a relative path means the folder the command was typed in.
    node: values.node ? resolve(process.env.INIT_CWD ?? process.cwd(), values.node) : process.execPath,
    workers: positive('workers', values.workers),
  };
}
