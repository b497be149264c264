export {
  createDatabase,
  type Database,
  type DatabaseConfig,
  migrateToLatest,
  type PoolStats,
} from './database';
export * from './enums';
export { migrationProvider } from './migrations/index';
export { preparedStatement } from './prepared-statements';
export type * from './schema';
export { ticketRowColumns } from './schema';
