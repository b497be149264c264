export * from './create-message';
export * from './list-messages';
export * from './message-dto';
export * from './schemas';
