import { describe, expect, it } from 'vitest';
import type { Job } from '../api';
import { JobManager } from './jobManager';

/** Resolves with the first published job state that satisfies `predicate`. */
function waitFor(manager: JobManager, id: string, predicate: (job: Job) => boolean): Promise<Job> {
  return new Promise((resolve) => {
    const current = manager.get(id);
    if (predicate(current)) return resolve(current);
    const stop = manager.subscribe((job) => {
      if (job.id === id && predicate(job)) {
        stop();
        resolve(job);
      }
    });
  });
}

describe('JobManager', () => {
  it('runs a job to its result and publishes the final state', async () => {
    const manager = new JobManager();
    const job = manager.start({
      kind: 'test',
      title: 'sum',
      unit: 'items',
      total: 3,
      run: async (context) => {
        for (let i = 1; i <= 3; i++) context.progress(i);
        return { sum: 6 };
      },
    });
    expect(job.state).toBe('running');
    const done = await waitFor(manager, job.id, (j) => j.finishedAt !== null);
    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({ sum: 6 });
    expect(done.progress.done).toBe(3);
  });

  it('reports a failure with a named error instead of losing it', async () => {
    const manager = new JobManager();
    const job = manager.start({
      kind: 'test',
      title: 'boom',
      unit: 'items',
      run: async () => {
        throw new Error('disk on fire');
      },
    });
    const done = await waitFor(manager, job.id, (j) => j.finishedAt !== null);
    expect(done.state).toBe('failed');
    expect(done.error).toEqual({ code: 'INTERNAL', message: 'disk on fire' });
  });

  it('cancels a job blocked at a checkpoint and a paused job resumes where it stopped', async () => {
    const manager = new JobManager();
    let reached = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const job = manager.start({
      kind: 'test',
      title: 'steps',
      unit: 'steps',
      pausable: true,
      run: async (context) => {
        for (let step = 1; step <= 2; step++) {
          await context.checkpoint();
          reached = step;
          context.progress(step);
          if (step === 1) await gate;
        }
        return reached;
      },
    });
    await waitFor(manager, job.id, (j) => j.progress.done === 1);
    expect(manager.pause(job.id).state).toBe('paused');
    release();
    // The job is parked at its next checkpoint: step 2 has not run.
    expect(reached).toBe(1);
    manager.resume(job.id);
    const done = await waitFor(manager, job.id, (j) => j.finishedAt !== null);
    expect(done.state).toBe('succeeded');
    expect(done.result).toBe(2);

    const blocked = manager.start({
      kind: 'test',
      title: 'forever',
      unit: 'steps',
      pausable: true,
      run: async (context) => {
        await context.checkpoint();
        return 'never';
      },
    });
    manager.pause(blocked.id);
    manager.cancel(blocked.id);
    const cancelled = await waitFor(manager, blocked.id, (j) => j.finishedAt !== null);
    expect(cancelled.state).toBe('cancelled');
  });

  it('refuses to pause a job whose kind cannot pause, and names an unknown job', () => {
    const manager = new JobManager();
    const job = manager.start({
      kind: 'scan',
      title: 'scan',
      unit: 'messages',
      run: () => new Promise(() => {}),
    });
    expect(() => manager.pause(job.id)).toThrow(/cannot be paused/);
    expect(() => manager.get('nope')).toThrow(/Job nope was not found/);
    manager.cancelAll();
  });
});
