/**
 * Fetch long polls wait for appends to the partitions they read. One listener on the log's
 * `append` event wakes the waiters of the partition appended to; a waiter subscribes before it
 * reads, so an append that lands while it reads still wakes it.
 */
import type { CommitLog } from '../../log/index';

const keyOf = (topic: string, partition: number): string => `${partition}\u0000${topic}`;

export interface Subscription {
  /** Resolves at the first append to a subscribed partition (or a deletion of its topic). */
  readonly appended: Promise<void>;
  cancel(): void;
}

export class AppendWaiters {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly onAppend = ({ topic, partition }: { topic: string; partition: number }) =>
    this.wake(keyOf(topic, partition));
  private readonly onTopicDeleted = ({ name }: { name: string }) => {
    for (const key of [...this.waiters.keys()]) if (key.endsWith(`\u0000${name}`)) this.wake(key);
  };

  constructor(private readonly log: CommitLog) {
    log.events.on('append', this.onAppend);
    log.events.on('topicDeleted', this.onTopicDeleted);
  }

  subscribe(partitions: readonly { topic: string; partition: number }[]): Subscription {
    const keys = partitions.map(({ topic, partition }) => keyOf(topic, partition));
    let wake!: () => void;
    const appended = new Promise<void>((resolve) => (wake = resolve));
    const cancel = (): void => {
      for (const key of keys) {
        const set = this.waiters.get(key);
        if (!set) continue;
        set.delete(wakeOnce);
        if (set.size === 0) this.waiters.delete(key);
      }
    };
    const wakeOnce = (): void => {
      cancel();
      wake();
    };
    for (const key of keys) {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      set.add(wakeOnce);
    }
    return { appended, cancel };
  }

  /** Waiters now (for tests and metrics). */
  get size(): number {
    let size = 0;
    for (const set of this.waiters.values()) size += set.size;
    return size;
  }

  close(): void {
    this.log.events.off('append', this.onAppend);
    this.log.events.off('topicDeleted', this.onTopicDeleted);
    for (const key of [...this.waiters.keys()]) this.wake(key);
  }

  private wake(key: string): void {
    const set = this.waiters.get(key);
    if (!set) return;
    for (const wake of [...set]) wake();
  }
}
