import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface RunningServer {
  pid: number;
  port: number;
  /** `performance.now()` when the process was spawned: start-up times count from here. */
  spawnedAt: number;
  stop(): Promise<void>;
}

/**
 * Starts a server that logs `{"msg":"listening","port":…}` as a JSON line on stdout (pino's format, and
 * the baseline server's) and resolves once it has. Every other line is read and dropped, so the pipe
 * never fills and slows the server down.
 */
export async function startServer(
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    /** The Node.js binary; the bench's own by default. */
    node?: string;
    /** The log message that says it is ready (with WORKERS, the primary's once every worker listens). */
    readyMessage?: string;
  },
): Promise<RunningServer> {
  const readyMessage = options.readyMessage ?? 'listening';
  const spawnedAt = performance.now();
  const child = spawn(options.node ?? process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: 'pipe',
  });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line after 30 s: ${stderr.join('')}`)),
      30_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr.join('')}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.includes(`"${readyMessage}"`)) return;
      try {
        const parsed = JSON.parse(line) as { msg?: string; port?: number };
        if (parsed.msg === readyMessage && typeof parsed.port === 'number') {
          clearTimeout(timer);
          resolve(parsed.port);
        }
      } catch {
        // not a JSON line: keep waiting
      }
    });
  });
  return { pid: child.pid as number, port, spawnedAt, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU time (user + system) the process and its descendants have used so far, in microseconds: with
 * WORKERS the primary's children do the serving. A child that has exited (and been waited for) counts
 * in its parent's cutime/cstime, so a worker replaced during a run is not lost.
 */
export function cpuMicros(pid: number): number {
  const stats = new Map<number, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields) stats.set(Number(entry), fields);
  }
  const ticksOf = (fields: string[]) =>
    Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  let ticks = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop() as number;
    const fields = stats.get(current);
    if (fields) ticks += ticksOf(fields);
    for (const [child, childFields] of stats) if (Number(childFields[1]) === current) pending.push(child);
  }
  return (ticks * 1_000_000) / clockTicks;
}

/**
 * The fields of /proc/<pid>/stat from the state on (field 3: ppid is [1], utime [11], stime [12],
 * cutime [13], cstime [14]), or null for a process gone meanwhile.
 */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Resident memory of the process, in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kib ?? 0) * 1024;
}

/** `v24.x.y` for the Node.js binary given. */
export function nodeVersion(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}
