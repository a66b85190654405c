/** Health of the engine and of the local broker it watches, shown by the UI's status indicator. */
import { z } from 'zod';

export const ProcessState = z.enum(['starting', 'up', 'down', 'disabled']);
export type ProcessState = z.infer<typeof ProcessState>;

export const BrokerStatus = z.object({
  state: ProcessState,
  /** `host:port` of the local broker's Kafka listener. */
  bootstrapServer: z.string().nullable(),
  adminUrl: z.string().nullable(),
  /** When the state last changed (ms since the epoch). */
  since: z.number(),
  /** A person-readable reason when the broker is down. */
  message: z.string().optional(),
});
export type BrokerStatus = z.infer<typeof BrokerStatus>;

export const EngineStatus = z.object({
  version: z.string(),
  startedAt: z.number(),
  dataDir: z.string(),
});

export const Status = z.object({
  engine: EngineStatus,
  broker: BrokerStatus,
});
export type Status = z.infer<typeof Status>;
