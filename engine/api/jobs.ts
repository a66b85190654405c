/**
 * Jobs: long work (scans, samples, replays, exports) started by one request, followed through
 * progress events on the WebSocket `jobs` stream, and ended by a result, an error or a cancel.
 */
import { z } from 'zod';
import { ApiErrorDetail } from './errors';

export const JobState = z.enum(['running', 'paused', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobProgress = z.object({
  /** Units of work done so far (messages, bytes, …: see `unit`). */
  done: z.number(),
  /** Total units when known in advance. */
  total: z.number().nullable(),
  unit: z.string(),
  /** Units per second over the recent past. */
  rate: z.number().nullable(),
  /** Estimated milliseconds left, when `total` and `rate` allow it. */
  etaMs: z.number().nullable(),
  /** A short person-readable line on what the job is doing now. */
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const Job = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: JobState,
  progress: JobProgress,
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Whether the job can be paused and resumed (replays can; scans cannot). */
  pausable: z.boolean(),
  error: ApiErrorDetail.optional(),
  /**
   * The job's result once it succeeded; its shape depends on `kind`. A replay that failed part
   * way has one too: the counts of what was sent and what failed.
   */
  result: z.unknown().optional(),
});
export type Job = z.infer<typeof Job>;

export const JobList = z.object({ jobs: z.array(Job) });
export const JobParams = z.object({ job: z.string().min(1) });

/** Starts a demonstration job that counts to `total`: exercises the job mechanism end to end. */
export const CountJobInput = z.object({
  total: z.number().int().min(1).max(1_000_000_000),
  /** Units counted per progress step. */
  step: z.number().int().min(1).default(1000),
});
