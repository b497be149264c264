export {
  createDatabase,
  type Database,
  type DatabaseConfig,
  migrateToLatest,
  type PoolStats,
} from './database';
export type * from './schema';
export { ticketRowColumns } from './schema';
