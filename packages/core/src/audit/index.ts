export * from './record-audit-event';
