/**
 * Storage for the group coordinator: plain keys and values it can build on.
 *
 *   G group                   the group's metadata, as opaque bytes the coordinator encodes
 *   O group topic partition   one committed offset (JSON)
 *
 * Nothing here knows about generations, members or rebalances.
 */
import type { Database } from './database';
import { LogError, storageError } from './errors';
import type { GroupCommit, WriteOperation } from './groupCommit';
import {
  decodeOffsetCommitKey,
  groupKey,
  groupOfGroupKey,
  offsetCommitGroupPrefix,
  offsetCommitKey,
  prefixRange,
  Prefix,
} from './keys';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface CommittedOffset extends TopicPartition {
  offset: number;
  /** -1 when the client sent none. */
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

type StoredOffset = Omit<CommittedOffset, 'topic' | 'partition'>;

export class ConsumerGroupStore {
  constructor(
    private readonly db: Database,
    private readonly groupCommit: GroupCommit,
    private readonly checkWritable: () => void,
  ) {}

  private async write(what: string, operations: WriteOperation[], durable: boolean): Promise<void> {
    this.checkWritable();
    try {
      await this.groupCommit.write(operations, durable);
    } catch (error) {
      throw storageError(what, error);
    }
  }

  private async read<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw error instanceof LogError ? error : storageError(what, error);
    }
  }

  /** Stores the group's metadata (replacing what was there). */
  putGroup(group: string, metadata: Buffer, { durable = true } = {}): Promise<void> {
    return this.write(
      `Storing group ${group} failed`,
      [{ type: 'put', key: groupKey(group), value: metadata }],
      durable,
    );
  }

  getGroup(group: string): Promise<Buffer | undefined> {
    return this.read(`Reading group ${group} failed`, () => this.db.get(groupKey(group)));
  }

  /** Ids of every group with stored metadata or committed offsets. */
  listGroups(): Promise<string[]> {
    return this.read('Listing groups failed', async () => {
      const ids = new Set<string>();
      for await (const key of this.db.keys(prefixRange(Buffer.from([Prefix.group]))))
        ids.add(groupOfGroupKey(key));
      for await (const key of this.db.keys(prefixRange(Buffer.from([Prefix.offsetCommit]))))
        ids.add(decodeOffsetCommitKey(key).group);
      return [...ids].sort();
    });
  }

  /** Deletes the group's metadata and all its committed offsets, in one write. */
  async deleteGroup(group: string, { durable = true } = {}): Promise<void> {
    const offsetKeys = await this.read(`Reading group ${group} failed`, () =>
      this.db.keys(prefixRange(offsetCommitGroupPrefix(group))).all(),
    );
    const operations: WriteOperation[] = [{ type: 'del', key: groupKey(group) }];
    for (const key of offsetKeys) operations.push({ type: 'del', key });
    await this.write(`Deleting group ${group} failed`, operations, durable);
  }

  /** Stores committed offsets, all in one atomic write (an OffsetCommit request). */
  commitOffsets(
    group: string,
    offsets: readonly CommittedOffset[],
    { durable = true } = {},
  ): Promise<void> {
    const operations: WriteOperation[] = offsets.map(({ topic, partition, ...stored }) => ({
      type: 'put',
      key: offsetCommitKey(group, topic, partition),
      value: Buffer.from(JSON.stringify(stored satisfies StoredOffset)),
    }));
    return this.write(`Committing offsets of group ${group} failed`, operations, durable);
  }

  /**
   * The group's committed offsets: for the given partitions (those without one are left
   * out), or all of them.
   */
  fetchOffsets(group: string, partitions?: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    return this.read(`Reading offsets of group ${group} failed`, async () => {
      const decode = (key: Buffer, value: Buffer): CommittedOffset => {
        const { topic, partition } = decodeOffsetCommitKey(key);
        return { topic, partition, ...(JSON.parse(value.toString('utf8')) as StoredOffset) };
      };
      if (!partitions) {
        const entries = await this.db.iterator(prefixRange(offsetCommitGroupPrefix(group))).all();
        return entries.map(([key, value]) => decode(key, value));
      }
      const keys = partitions.map(({ topic, partition }) =>
        offsetCommitKey(group, topic, partition),
      );
      const values = await this.db.getMany(keys);
      return keys.flatMap((key, i) => (values[i] ? [decode(key, values[i])] : []));
    });
  }

  /** Deletes the group's committed offsets for these partitions (OffsetDelete). */
  deleteOffsets(
    group: string,
    partitions: readonly TopicPartition[],
    { durable = true } = {},
  ): Promise<void> {
    const operations: WriteOperation[] = partitions.map(({ topic, partition }) => ({
      type: 'del',
      key: offsetCommitKey(group, topic, partition),
    }));
    return this.write(`Deleting offsets of group ${group} failed`, operations, durable);
  }

  /** Keys of every committed offset for `topic`, across groups (for topic deletion). */
  async offsetKeysOfTopic(topic: string): Promise<Buffer[]> {
    const keys: Buffer[] = [];
    for await (const key of this.db.keys(prefixRange(Buffer.from([Prefix.offsetCommit])))) {
      if (decodeOffsetCommitKey(key).topic === topic) keys.push(key);
    }
    return keys;
  }
}
