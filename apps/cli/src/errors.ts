/** The exit codes scripts rely on; documented in the README. */
export const exitCodes = {
  ok: 0,
  usage: 1,
  auth: 2,
  notFound: 3,
  api: 4,
  network: 5,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A failure the CLI detects itself, with the exit code and the message to show. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(exitCodes.usage, message);

export const notSignedIn = () =>
  new CliError(
    exitCodes.auth,
    'Not signed in. Run `tickets login --url <server> --email <you>`, or set TICKETS_URL and TICKETS_TOKEN.',
  );

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks an id argument before any request: a typo is a usage error, not a trip to the server. */
export function requireId(value: string, what = 'ticket'): string {
  if (!uuidPattern.test(value)) throw usageError(`"${value}" is not a ${what} id (expected a UUID).`);
  return value.toLowerCase();
}
