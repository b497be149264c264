export * from './find-visible-ticket';
export * from './schemas';
export * from './ticket-dto';
