// What tests of other packages (the CLI's, the console's) need to run a real server in process: the
// configuration parser, a logger, the live-notification wiring and a free-port listener. Reached as
// `@tickets/server/testing`, never by a relative path into this package.
export { loadEnv } from '../env';
export { createLogger } from '../logger';
export { startNotifications } from '../notifications';
export { listenOnFreePort } from './listen';
