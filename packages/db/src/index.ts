export { createDatabase, type Database, type DatabaseConfig, migrateToLatest } from './database';
export type * from './schema';
export { ticketRowColumns } from './schema';
