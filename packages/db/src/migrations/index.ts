import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026_11_29_0001_initial';
import * as statsIndexes from './2026_11_29_0002_stats_indexes';
import * as notificationChannels from './2026_11_29_0003_notification_channels';
import * as rateLimits from './2026_11_29_0004_rate_limits';
import * as idempotencyKeys from './2026_11_29_0005_idempotency_keys';
import * as ticketStatsDaily from './2026_11_29_0006_ticket_stats_daily';
import * as sla from './2026_12_07_0007_sla';
import * as webhooks from './2026_12_07_0008_webhooks';
import * as firstRunSetup from './2026_12_07_0009_first_run_setup';
import * as securityFindings from './2026_12_07_0010_security_findings';

// A static list rather than FileMigrationProvider: the same list runs under tsx, vitest and a bundle
// (FileMigrationProvider cannot import .ts files under vitest). Append new migrations; never reorder.
const migrations: Record<string, Migration> = {
  '2026_11_29_0001_initial': initial,
  '2026_11_29_0003_notification_channels': notificationChannels,
  '2026_11_29_0002_stats_indexes': statsIndexes,
  '2026_11_29_0004_rate_limits': rateLimits,
  '2026_11_29_0005_idempotency_keys': idempotencyKeys,
  '2026_11_29_0006_ticket_stats_daily': ticketStatsDaily,
  '2026_12_07_0007_sla': sla,
  '2026_12_07_0008_webhooks': webhooks,
  '2026_12_07_0009_first_run_setup': firstRunSetup,
  '2026_12_07_0010_security_findings': securityFindings,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
