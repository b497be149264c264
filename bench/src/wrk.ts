import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  /** JSON body of a POST. */
  body?: string;
}

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts and non-2xx/3xx answers. */
  errors: number;
}

const luaString = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * A wrk script that walks the given requests round-robin (each wrk thread from its own start), and
 * prints one machine-readable summary line when done.
 */
function script(requests: BenchRequest[]): string {
  const formatted = requests.map((request) => {
    const headers = [
      request.token ? `Authorization = ${luaString(`Bearer ${request.token}`)}` : '',
      request.body ? `["Content-Type"] = "application/json"` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const body = request.body ? luaString(request.body) : 'nil';
    return `    wrk.format(${luaString(request.method)}, ${luaString(request.path)}, { ${headers} }, ${body}),`;
  });
  return `local requests = {}
local i = 0
local threads = 0
setup = function(thread)
  thread:set("offset", threads * 17)
  threads = threads + 1
end
init = function(args)
  requests = {
${formatted.join('\n')}
  }
  i = offset or 0
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
`;
}

export async function runWrk(options: {
  port: number;
  requests: BenchRequest[];
  durationSeconds: number;
  connections: number;
  workDir: string;
  name: string;
}): Promise<WrkResult> {
  const file = join(options.workDir, `${options.name.replace(/[^a-z0-9.-]+/gi, '_')}.lua`);
  await writeFile(file, script(options.requests));
  const { stdout } = await run(
    'wrk',
    [
      `-t${Math.min(2, options.connections)}`,
      `-c${options.connections}`,
      `-d${options.durationSeconds}s`,
      '--timeout',
      '10s',
      '-s',
      file,
      `http://127.0.0.1:${options.port}`,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const line = /BENCH (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(stdout);
  if (!line) throw new Error(`unexpected wrk output:\n${stdout}`);
  const [requests, durationMicros, p50, p99, errors] = line.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    requests,
    requestsPerSecond: requests / (durationMicros / 1_000_000),
    p50Ms: p50 / 1000,
    p99Ms: p99 / 1000,
    errors,
  };
}
