import { run } from './run';

// The entry: the only place the CLI reads the process (environment, streams, signals).
const interrupted = new AbortController();
process.once('SIGINT', () => {
  interrupted.abort();
  // Commands other than `watch` do not listen for Ctrl-C: give the one that does a moment, then leave.
  process.exitCode = 130;
  setTimeout(() => process.exit(130), 2_000).unref();
});

// `tickets list | head` closes the pipe early: that is the reader's choice, not an error to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  signal: interrupted.signal,
});
