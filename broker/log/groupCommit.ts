/**
 * Group commit: every durable write (an `acks=-1` append, a durable offset commit) must be
 * on disk before it is acknowledged, and durable writes that arrive while a synced write is
 * in flight share the next sync — one LevelDB batch, one fsync, however many partitions and
 * producers they come from. Each write stays atomic (it is whole in the combined batch, and
 * the combined batch is atomic). Writes that need no durability go straight to LevelDB.
 */
import type { BatchOperation } from 'classic-level';
import type { Database } from './database';

export type WriteOperation = BatchOperation<Database, Buffer, Buffer>;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  /** Durable writes requested. */
  durableWrites: number;
  /** Synced LevelDB batches that carried them. */
  syncs: number;
}

export class GroupCommit {
  private pending: WriteOperation[] = [];
  private waiters: Waiter[] = [];
  private syncing = false;
  private idleWaiters: (() => void)[] = [];
  private serial: Promise<void> = Promise.resolve();
  readonly stats: GroupCommitStats = { durableWrites: 0, syncs: 0 };

  /** With `enabled` false every durable write gets its own sync (for the benchmark's floor). */
  constructor(
    private readonly db: Database,
    private readonly enabled = true,
  ) {}

  write(operations: WriteOperation[], durable: boolean): Promise<void> {
    if (!durable) return this.db.batch(operations);
    this.stats.durableWrites++;
    if (!this.enabled) {
      // One sync per durable write, strictly one after the other (LevelDB would otherwise
      // group concurrent synced writes itself).
      this.stats.syncs++;
      const write = this.serial.then(() => this.db.batch(operations, { sync: true }));
      this.serial = write.catch(() => {});
      return write;
    }
    return new Promise<void>((resolve, reject) => {
      for (const operation of operations) this.pending.push(operation);
      this.waiters.push({ resolve, reject });
      if (!this.syncing) void this.flush();
    });
  }

  /** Resolves when no synced write is pending or in flight. */
  idle(): Promise<void> {
    if (!this.syncing) return this.serial;
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async flush(): Promise<void> {
    this.syncing = true;
    while (this.waiters.length > 0) {
      const operations = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      this.stats.syncs++;
      try {
        await this.db.batch(operations, { sync: true });
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.syncing = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
