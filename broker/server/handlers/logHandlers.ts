/**
 * Registers every handler over the commit log: Metadata, Produce, Fetch, ListOffsets,
 * CreateTopics, DeleteTopics.
 */
import type { HandlerRegistry } from '../handlerRegistry';
import { registerCreateTopics } from './createTopics';
import { registerDeleteTopics } from './deleteTopics';
import { registerFetch } from './fetch';
import { registerListOffsets } from './listOffsets';
import type { LogHandlerOptions } from './logHandlerContext';
import { registerMetadata } from './metadata';
import { registerProduce } from './produce';

export function registerLogHandlers(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  registerMetadata(registry, options);
  registerProduce(registry, options);
  registerFetch(registry, options);
  registerListOffsets(registry, options);
  registerCreateTopics(registry, options);
  registerDeleteTopics(registry, options);
  return registry;
}
