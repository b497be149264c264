import { recreateTestDatabase } from '@tickets/db/testing';

// Runs once for the whole run, before any project: one fresh, migrated PostgreSQL database.
export default async function setup() {
  await recreateTestDatabase();
}
