/** The engine API contract: schemas, and the types derived from them. */
export * from './errors';
export * from './status';
export * from './clusters';
export * from './jobs';
export * from './stream';
export * from './route';
export * from './routes';
export * from './topics';
export * from './messages';
export * from './eda';
export * from './groups';
export * from './metrics';
export * from './transfer';
export * from './replay';
export * from './playback';
