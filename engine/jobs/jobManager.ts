/**
 * Runs long work as jobs: each has an id, progress, a result or an error, and can be cancelled
 * (and paused, if its kind allows). Every change is published to listeners, which the engine
 * forwards to the WebSocket `jobs` stream.
 */
import { randomUUID } from 'node:crypto';
import type { Job, JobProgress } from '../api';
import { ApiError, notFound } from '../http/apiError';

export interface JobContext {
  /** Aborted when the job is cancelled; pass it on to I/O. */
  signal: AbortSignal;
  /** Reports progress; cheap to call often (publication is throttled). */
  progress(done: number, options?: { total?: number | null; message?: string }): void;
  /** Resolves at once, or when a paused job is resumed; rejects when cancelled. */
  checkpoint(): Promise<void>;
}

export interface JobDefinition<Result> {
  kind: string;
  title: string;
  unit: string;
  total?: number | null;
  pausable?: boolean;
  run(context: JobContext): Promise<Result>;
}

export type JobListener = (job: Job) => void;

/** Finished jobs kept for GET /jobs/{id}; older ones are forgotten. */
const KEEP_FINISHED = 200;
/** At most this many progress publications per second per job. */
const PUBLISH_INTERVAL_MS = 100;

interface Entry {
  job: Job;
  controller: AbortController;
  resume: (() => void) | null;
  rateWindow: { at: number; done: number }[];
  lastPublish: number;
  /** A trailing publication, so the last progress of a burst is never swallowed. */
  pendingPublish: ReturnType<typeof setTimeout> | null;
}

const partialResults = new WeakMap<object, unknown>();

/**
 * Marks `error` as ending a job that still has a result to show: what a replay had sent and
 * what failed before the target refused it. The failed job keeps it as its `result`, so the
 * counts reach the UI as numbers, not only inside the error's message.
 */
export function withPartialResult<E extends object>(error: E, result: unknown): E {
  partialResults.set(error, result);
  return error;
}

export class JobManager {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<JobListener>();

  start<Result>(definition: JobDefinition<Result>): Job {
    const job: Job = {
      id: randomUUID(),
      kind: definition.kind,
      title: definition.title,
      state: 'running',
      progress: {
        done: 0,
        total: definition.total ?? null,
        unit: definition.unit,
        rate: null,
        etaMs: null,
      },
      createdAt: Date.now(),
      finishedAt: null,
      pausable: definition.pausable ?? false,
    };
    const entry: Entry = {
      job,
      controller: new AbortController(),
      resume: null,
      rateWindow: [{ at: Date.now(), done: 0 }],
      lastPublish: 0,
      pendingPublish: null,
    };
    this.entries.set(job.id, entry);
    this.forgetOldJobs();
    this.publish(entry);
    void this.run(entry, definition);
    return structuredClone(job);
  }

  get(id: string): Job {
    return structuredClone(this.entry(id).job);
  }

  list(): Job[] {
    return [...this.entries.values()].map((e) => structuredClone(e.job)).reverse();
  }

  cancel(id: string): Job {
    const entry = this.entry(id);
    if (entry.job.state === 'running' || entry.job.state === 'paused') {
      entry.controller.abort(new ApiError('CONFLICT', 'The job was cancelled.'));
      entry.resume?.();
    }
    return this.get(id);
  }

  pause(id: string): Job {
    const entry = this.entry(id);
    if (!entry.job.pausable)
      throw new ApiError('CONFLICT', `A ${entry.job.kind} job cannot be paused.`);
    if (entry.job.state !== 'running') {
      throw new ApiError('CONFLICT', `The job is ${entry.job.state}, not running.`);
    }
    entry.job.state = 'paused';
    this.publish(entry, true);
    return this.get(id);
  }

  resume(id: string): Job {
    const entry = this.entry(id);
    if (entry.job.state !== 'paused')
      throw new ApiError('CONFLICT', `The job is ${entry.job.state}, not paused.`);
    entry.job.state = 'running';
    entry.resume?.();
    this.publish(entry, true);
    return this.get(id);
  }

  subscribe(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Cancels every unfinished job (engine shutdown). */
  cancelAll(): void {
    for (const entry of this.entries.values()) {
      if (entry.job.finishedAt === null) this.cancel(entry.job.id);
    }
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw notFound(`Job ${id}`);
    return entry;
  }

  private async run<Result>(entry: Entry, definition: JobDefinition<Result>): Promise<void> {
    const { job, controller } = entry;
    const context: JobContext = {
      signal: controller.signal,
      progress: (done, options = {}) => {
        job.progress.done = done;
        if (options.total !== undefined) job.progress.total = options.total;
        if (options.message !== undefined) job.progress.message = options.message;
        this.updateRate(entry);
        this.publish(entry);
      },
      checkpoint: async () => {
        while (job.state === 'paused' && !controller.signal.aborted) {
          await new Promise<void>((resolve) => (entry.resume = resolve));
          entry.resume = null;
        }
        controller.signal.throwIfAborted();
      },
    };
    try {
      await Promise.resolve(); // the job starts after the request that created it answered
      const result = await definition.run(context);
      controller.signal.throwIfAborted();
      job.result = result;
      job.state = 'succeeded';
    } catch (error) {
      if (controller.signal.aborted) {
        job.state = 'cancelled';
      } else {
        job.state = 'failed';
        if (typeof error === 'object' && error !== null && partialResults.has(error))
          job.result = partialResults.get(error);
        job.error =
          error instanceof ApiError
            ? error.toDetail()
            : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
      }
    }
    job.finishedAt = Date.now();
    job.progress.etaMs = job.state === 'succeeded' ? 0 : null;
    this.publish(entry, true);
  }

  private updateRate(entry: Entry): void {
    const now = Date.now();
    const window = entry.rateWindow;
    window.push({ at: now, done: entry.job.progress.done });
    while (window.length > 2 && now - window[0]!.at > 5000) window.shift();
    const first = window[0]!;
    const seconds = (now - first.at) / 1000;
    const progress: JobProgress = entry.job.progress;
    progress.rate = seconds > 0 ? (progress.done - first.done) / seconds : null;
    progress.etaMs =
      progress.total !== null && progress.rate !== null && progress.rate > 0
        ? Math.round(((progress.total - progress.done) / progress.rate) * 1000)
        : null;
  }

  private publish(entry: Entry, force = false): void {
    const now = Date.now();
    const wait = entry.lastPublish + PUBLISH_INTERVAL_MS - now;
    if (!force && wait > 0) {
      entry.pendingPublish ??= setTimeout(() => {
        entry.pendingPublish = null;
        this.publish(entry, true);
      }, wait);
      return;
    }
    if (entry.pendingPublish) clearTimeout(entry.pendingPublish);
    entry.pendingPublish = null;
    entry.lastPublish = now;
    const snapshot = structuredClone(entry.job);
    for (const listener of this.listeners) listener(snapshot);
  }

  private forgetOldJobs(): void {
    const finished = [...this.entries.values()].filter((e) => e.job.finishedAt !== null);
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.entries.delete(entry.job.id);
    }
  }
}
