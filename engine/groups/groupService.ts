/**
 * Consumer groups of a Kafka cluster: list (state, protocol, members, total lag), describe
 * (members, assignments, committed offsets and lag per partition), reset offsets (only while
 * the group is empty; a dry run previews old → new) and delete.
 *
 * Offsets are committed the way Kafka's own admin tools do it — an OffsetCommit outside any
 * generation — rather than kafkajs's `setOffsets`, which joins the group with a consumer.
 */
import kafkajs, { type Admin } from 'kafkajs';
import type {
  GroupDetails,
  GroupPartitionOffset,
  GroupSummary,
  OffsetResetInput,
  OffsetResetResult,
} from '../api/groups';
import type { PartitionOffsets } from '../browse/logReader';
import { ApiError, notFound } from '../http/apiError';
import { kafkaError, type KafkaErrorContext } from '../sources/kafkaErrors';
import { planReset, type PartitionState } from './resetPlan';

const { AssignerProtocol } = kafkajs;

/** What the service needs from a cluster connection (KafkaSource provides it). */
export interface GroupBackend {
  connectedAdmin(): Promise<Admin>;
  offsets(topic: string): Promise<PartitionOffsets[]>;
  offsetsForTimestamp(
    topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>>;
  commitGroupOffsets(
    groupId: string,
    topic: string,
    partitions: { partition: number; offset: number }[],
  ): Promise<void>;
  context(action?: string): KafkaErrorContext;
}

interface Committed {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

export class GroupService {
  constructor(private readonly backend: (cluster: string) => GroupBackend) {}

  async list(cluster: string): Promise<GroupSummary[]> {
    const source = this.backend(cluster);
    const admin = await source.connectedAdmin();
    const { groups } = await this.kafka(source, 'list consumer groups', () => admin.listGroups());
    if (groups.length === 0) return [];
    const ids = groups.map((g) => g.groupId).sort();
    const described = await this.kafka(source, 'describe consumer groups', () =>
      admin.describeGroups(ids),
    );
    const topicOffsets = new Map<string, Promise<PartitionOffsets[] | null>>();
    return Promise.all(
      described.groups.map(async (group) => {
        const committed = await this.committed(source, admin, group.groupId);
        const lags = await this.offsetsWithLag(source, committed, topicOffsets);
        return {
          groupId: group.groupId,
          state: group.state,
          protocolType: group.protocolType,
          protocol: group.protocol,
          members: group.members.length,
          totalLag: lags.reduce((sum, p) => sum + (p.lag ?? 0), 0),
          topics: [...new Set(committed.map((c) => c.topic))].sort(),
        };
      }),
    );
  }

  async describe(cluster: string, groupId: string): Promise<GroupDetails> {
    const source = this.backend(cluster);
    const admin = await source.connectedAdmin();
    const group = await this.describeOne(source, admin, groupId);
    const committed = await this.committed(source, admin, groupId);
    const memberList = group.members.map((member) => ({
      memberId: member.memberId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      assignment: decodeAssignment(group.protocolType, member.memberAssignment),
    }));
    const owner = new Map<string, string>();
    for (const member of memberList) {
      for (const a of member.assignment) {
        for (const partition of a.partitions)
          owner.set(`${a.topic}\0${partition}`, member.memberId);
      }
    }
    // Partitions assigned but never committed are listed too (committed: null).
    const assignedOnly: Committed[] = [];
    for (const key of owner.keys()) {
      const [topic, partition] = key.split('\0') as [string, string];
      if (!committed.some((c) => c.topic === topic && c.partition === Number(partition)))
        assignedOnly.push({ topic, partition: Number(partition), offset: -1, metadata: null });
    }
    const offsets = await this.offsetsWithLag(source, [...committed, ...assignedOnly], new Map());
    for (const p of offsets) p.memberId = owner.get(`${p.topic}\0${p.partition}`) ?? null;
    offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: group.members.length,
      totalLag: offsets.reduce((sum, p) => sum + (p.lag ?? 0), 0),
      topics: [...new Set(offsets.map((p) => p.topic))].sort(),
      memberList,
      offsets,
    };
  }

  async resetOffsets(
    cluster: string,
    groupId: string,
    input: OffsetResetInput,
  ): Promise<OffsetResetResult> {
    const source = this.backend(cluster);
    const admin = await source.connectedAdmin();
    const group = await this.describeGroupState(source, admin, groupId);
    const partitionOffsets = await source.offsets(input.topic);
    let partitions = partitionOffsets;
    if (input.partitions) {
      const known = new Set(partitionOffsets.map((p) => p.partition));
      const unknown = input.partitions.find((p) => !known.has(p));
      if (unknown !== undefined) {
        throw new ApiError(
          'BAD_REQUEST',
          `Topic "${input.topic}" has no partition ${unknown} (it has ${partitionOffsets.length}).`,
          { field: 'body.partitions' },
        );
      }
      const wanted = new Set(input.partitions);
      partitions = partitionOffsets.filter((p) => wanted.has(p.partition));
    }
    const committed = (await this.committed(source, admin, groupId, [input.topic])).filter(
      (c) => c.topic === input.topic,
    );
    const byTime =
      input.target.to === 'timestamp'
        ? await source.offsetsForTimestamp(
            input.topic,
            partitions.map((p) => p.partition),
            input.target.timestamp,
          )
        : null;
    const states: PartitionState[] = partitions.map((p) => {
      const state: PartitionState = {
        partition: p.partition,
        committed: committed.find((c) => c.partition === p.partition)?.offset ?? null,
        logStartOffset: p.logStartOffset,
        highWatermark: p.highWatermark,
      };
      const forTime = byTime?.get(p.partition);
      if (forTime !== undefined) state.offsetForTime = forTime;
      return state;
    });
    const changes = planReset(input.topic, input.target, states);
    if (input.dryRun) return { groupId, dryRun: true, applied: false, changes };
    if (group !== 'Empty' && group !== 'Dead') {
      throw new ApiError(
        'CONFLICT',
        `Group "${groupId}" is ${group}: offsets can only be reset while the group has no members. Stop its consumers first.`,
      );
    }
    await source.commitGroupOffsets(
      groupId,
      input.topic,
      changes.map((c) => ({ partition: c.partition, offset: c.newOffset })),
    );
    return { groupId, dryRun: false, applied: true, changes };
  }

  async delete(cluster: string, groupId: string): Promise<void> {
    const source = this.backend(cluster);
    const admin = await source.connectedAdmin();
    const state = await this.describeGroupState(source, admin, groupId);
    if (state !== 'Empty' && state !== 'Dead') {
      throw new ApiError(
        'CONFLICT',
        `Group "${groupId}" is ${state}: only a group without members can be deleted. Stop its consumers first.`,
      );
    }
    const committed = await this.committed(source, admin, groupId);
    if (state === 'Dead' && committed.length === 0) throw notFound(`Consumer group "${groupId}"`);
    await this.kafka(source, `delete consumer group "${groupId}"`, () =>
      admin.deleteGroups([groupId]),
    );
  }

  private async describeGroupState(source: GroupBackend, admin: Admin, groupId: string) {
    const { groups } = await this.kafka(source, `describe consumer group "${groupId}"`, () =>
      admin.describeGroups([groupId]),
    );
    return groups[0]?.state ?? 'Dead';
  }

  /** The group's description; NOT_FOUND when the broker knows neither members nor offsets. */
  private async describeOne(source: GroupBackend, admin: Admin, groupId: string) {
    const { groups } = await this.kafka(source, `describe consumer group "${groupId}"`, () =>
      admin.describeGroups([groupId]),
    );
    const group = groups[0];
    if (!group || group.state === 'Dead') {
      const committed = await this.committed(source, admin, groupId);
      if (!group || committed.length === 0) throw notFound(`Consumer group "${groupId}"`);
    }
    return group;
  }

  /** Committed offsets of a group (of every topic when `topics` is left out). */
  private async committed(
    source: GroupBackend,
    admin: Admin,
    groupId: string,
    topics?: string[],
  ): Promise<Committed[]> {
    const answer = await this.kafka(
      source,
      `read the committed offsets of group "${groupId}"`,
      () => admin.fetchOffsets({ groupId, ...(topics ? { topics } : {}) }),
    );
    const result: Committed[] = [];
    for (const topic of answer) {
      for (const p of topic.partitions) {
        const offset = Number(p.offset);
        if (offset < 0) continue; // -1: nothing committed
        result.push({ topic: topic.topic, partition: p.partition, offset, metadata: p.metadata });
      }
    }
    return result;
  }

  private async offsetsWithLag(
    source: GroupBackend,
    committed: Committed[],
    cache: Map<string, Promise<PartitionOffsets[] | null>>,
  ): Promise<GroupPartitionOffset[]> {
    const result: GroupPartitionOffset[] = [];
    for (const c of committed) {
      let offsets = cache.get(c.topic);
      if (!offsets) {
        // A topic deleted since the group committed: its offsets stay listed, without lag.
        offsets = source.offsets(c.topic).catch(() => null);
        cache.set(c.topic, offsets);
      }
      const partition = (await offsets)?.find((p) => p.partition === c.partition);
      const hasCommit = c.offset >= 0;
      result.push({
        topic: c.topic,
        partition: c.partition,
        committed: hasCommit ? c.offset : null,
        logStartOffset: partition?.logStartOffset ?? 0,
        highWatermark: partition?.highWatermark ?? 0,
        lag: hasCommit && partition ? Math.max(0, partition.highWatermark - c.offset) : null,
        memberId: null,
        metadata: c.metadata,
      });
    }
    return result;
  }

  private async kafka<T>(source: GroupBackend, action: string, work: () => Promise<T>) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw kafkaError(error, source.context(action));
    }
  }
}

function decodeAssignment(
  protocolType: string,
  bytes: Buffer,
): { topic: string; partitions: number[] }[] {
  if (protocolType !== 'consumer' || bytes.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
    if (!decoded) return [];
    return Object.entries(decoded.assignment)
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  } catch {
    return [];
  }
}
