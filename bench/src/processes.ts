import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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
  },
): Promise<RunningServer> {
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
      if (!line.includes('"listening"')) return;
      try {
        const parsed = JSON.parse(line) as { port?: number };
        if (typeof parsed.port === 'number') {
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

/** CPU time (user + system) the process has used so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / clockTicks;
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
