import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../protocol/errors';
import {
  GroupCoordinator,
  type CommittedOffset,
  type GroupOffsetStore,
  type JoinGroupInput,
  type TopicPartition,
} from './groupCoordinator';

/** Committed offsets in memory; the LevelDB-backed store is exercised by the interop tests. */
class MemoryOffsetStore implements GroupOffsetStore {
  readonly offsets = new Map<string, Map<string, CommittedOffset>>();
  async commitOffsets(group: string, offsets: readonly CommittedOffset[]) {
    const byPartition = this.offsets.get(group) ?? new Map<string, CommittedOffset>();
    for (const o of offsets) byPartition.set(`${o.topic}/${o.partition}`, o);
    this.offsets.set(group, byPartition);
  }
  async fetchOffsets(group: string, partitions?: readonly TopicPartition[]) {
    const all = [...(this.offsets.get(group)?.values() ?? [])];
    return partitions
      ? all.filter((o) =>
          partitions.some((p) => p.topic === o.topic && p.partition === o.partition),
        )
      : all;
  }
  async deleteGroup(group: string) {
    this.offsets.delete(group);
  }
  async listGroups() {
    return [...this.offsets.keys()];
  }
}

const SESSION = 10_000;
const REBALANCE = 20_000;
const protocol = (name: string, data = name) => ({ name, metadata: Buffer.from(data) });

function joinInput(overrides: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    sessionTimeoutMs: SESSION,
    rebalanceTimeoutMs: REBALANCE,
    protocolType: 'consumer',
    protocols: [protocol('range'), protocol('roundrobin')],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...overrides,
  };
}

let store: MemoryOffsetStore;
let coordinator: GroupCoordinator;

beforeEach(() => {
  vi.useFakeTimers();
  store = new MemoryOffsetStore();
  coordinator = new GroupCoordinator(store, {
    minSessionTimeoutMs: 1000,
    maxSessionTimeoutMs: 60_000,
    initialRebalanceDelayMs: 0,
  });
});

afterEach(() => {
  coordinator.close();
  vi.useRealTimers();
});

/** Joins and syncs a lone member: the group becomes Stable with it as leader. */
async function stableSingle(overrides: Partial<JoinGroupInput> = {}) {
  const join = await coordinator.joinGroup(joinInput(overrides));
  const sync = await coordinator.syncGroup({
    groupId: 'g',
    generationId: join.generationId,
    memberId: join.memberId,
    groupInstanceId: overrides.groupInstanceId ?? null,
    assignments: [{ memberId: join.memberId, assignment: Buffer.from('all') }],
  });
  expect(sync.errorCode).toBe(ErrorCode.NONE);
  return join;
}

describe('GroupCoordinator', () => {
  it('makes a new member fetch its id first (JoinGroup v4+), then elects it leader', async () => {
    const first = await coordinator.joinGroup(joinInput({ requireKnownMemberId: true }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^client-/);

    const join = await coordinator.joinGroup(
      joinInput({ memberId: first.memberId, requireKnownMemberId: true }),
    );
    expect(join).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      leader: first.memberId,
      memberId: first.memberId,
      protocolName: 'range',
      members: [{ memberId: first.memberId, metadata: Buffer.from('range') }],
    });
    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: join.memberId,
      groupInstanceId: null,
      assignments: [{ memberId: join.memberId, assignment: Buffer.from('p0,p1') }],
    });
    expect(sync.assignment.toString()).toBe('p0,p1');
    expect((await coordinator.describeGroup('g')).state).toBe('Stable');
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: join.memberId,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.NONE);
  });

  it('rebalances when a second member joins: both rejoin, only the leader sees the members', async () => {
    const a = await stableSingle();
    const bJoin = coordinator.joinGroup(joinInput({ clientId: 'b' }));
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: a.memberId,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const aJoin = await coordinator.joinGroup(joinInput({ memberId: a.memberId }));
    const b = await bJoin;
    expect(aJoin.generationId).toBe(2);
    expect(b.generationId).toBe(2);
    expect(aJoin.leader).toBe(a.memberId);
    expect(aJoin.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    expect(b.members).toEqual([]);

    // The follower's SyncGroup waits for the leader's assignment.
    const bSync = coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: b.memberId,
      groupInstanceId: null,
      assignments: [],
    });
    const aSync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a.memberId,
      groupInstanceId: null,
      assignments: [
        { memberId: a.memberId, assignment: Buffer.from('p0') },
        { memberId: b.memberId, assignment: Buffer.from('p1') },
      ],
    });
    expect(aSync.assignment.toString()).toBe('p0');
    expect((await bSync).assignment.toString()).toBe('p1');
  });

  it('removes a member whose session expires and rebalances the rest', async () => {
    const a = await stableSingle();
    const bJoin = coordinator.joinGroup(joinInput({ clientId: 'b' }));
    await coordinator.joinGroup(joinInput({ memberId: a.memberId }));
    const b = await bJoin;
    await Promise.all([
      coordinator.syncGroup({
        groupId: 'g',
        generationId: 2,
        memberId: b.memberId,
        groupInstanceId: null,
        assignments: [],
      }),
      coordinator.syncGroup({
        groupId: 'g',
        generationId: 2,
        memberId: a.memberId,
        groupInstanceId: null,
        assignments: [],
      }),
    ]);
    // Only A keeps heartbeating; B's session runs out.
    for (let elapsed = 0; elapsed <= SESSION; elapsed += SESSION / 4) {
      vi.advanceTimersByTime(SESSION / 4);
      if (
        coordinator.heartbeat({
          groupId: 'g',
          generationId: 2,
          memberId: a.memberId,
          groupInstanceId: null,
        }) !== ErrorCode.NONE
      )
        break;
    }
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 2,
        memberId: a.memberId,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 2,
        memberId: b.memberId,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoin = await coordinator.joinGroup(joinInput({ memberId: a.memberId }));
    expect(rejoin.generationId).toBe(3);
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('drops a member that does not rejoin within the rebalance timeout', async () => {
    const a = await stableSingle();
    const bJoin = coordinator.joinGroup(joinInput({ clientId: 'b' }));
    // A never rejoins: after the rebalance timeout the join completes without it.
    vi.advanceTimersByTime(REBALANCE);
    const b = await bJoin;
    expect(b.generationId).toBe(2);
    expect(b.leader).toBe(b.memberId);
    expect(b.members.map((m) => m.memberId)).toEqual([b.memberId]);
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 2,
        memberId: a.memberId,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers the errors Kafka answers', async () => {
    expect((await coordinator.joinGroup(joinInput({ sessionTimeoutMs: 10 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await coordinator.joinGroup(joinInput({ groupId: '' }))).errorCode).toBe(
      ErrorCode.INVALID_GROUP_ID,
    );
    expect((await coordinator.joinGroup(joinInput({ memberId: 'nobody' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    const a = await stableSingle();
    expect(
      (await coordinator.joinGroup(joinInput({ protocols: [protocol('sticky-only')] }))).errorCode,
    ).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await coordinator.joinGroup(joinInput({ protocolType: 'connect' }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 0,
        memberId: a.memberId,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.ILLEGAL_GENERATION);
    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 7,
      memberId: a.memberId,
      groupInstanceId: null,
      assignments: [],
    });
    expect(sync.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('gives a restarted static member its assignment back without a rebalance, and fences the old one', async () => {
    const leader = await stableSingle({ clientId: 'leader' });
    const staticJoin = coordinator.joinGroup(
      joinInput({ groupInstanceId: 'worker-1', clientId: 'w' }),
    );
    await coordinator.joinGroup(joinInput({ memberId: leader.memberId, clientId: 'leader' }));
    const worker = await staticJoin;
    const workerSync = coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: worker.memberId,
      groupInstanceId: 'worker-1',
      assignments: [],
    });
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: leader.memberId,
      groupInstanceId: null,
      assignments: [
        { memberId: leader.memberId, assignment: Buffer.from('p0') },
        { memberId: worker.memberId, assignment: Buffer.from('p1') },
      ],
    });
    await workerSync;

    // The worker restarts: same instance id, no member id.
    const restarted = await coordinator.joinGroup(
      joinInput({ groupInstanceId: 'worker-1', clientId: 'w' }),
    );
    expect(restarted.errorCode).toBe(ErrorCode.NONE);
    expect(restarted.memberId).not.toBe(worker.memberId);
    expect(restarted.generationId).toBe(2);
    const resync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: restarted.memberId,
      groupInstanceId: 'worker-1',
      assignments: [],
    });
    expect(resync.assignment.toString()).toBe('p1');
    expect((await coordinator.describeGroup('g')).state).toBe('Stable');
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 2,
        memberId: worker.memberId,
        groupInstanceId: 'worker-1',
      }),
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it('validates offset commits against the generation and stores them', async () => {
    const a = await stableSingle();
    const offset = (partition: number, value: number): CommittedOffset => ({
      topic: 't',
      partition,
      offset: value,
      leaderEpoch: -1,
      metadata: null,
      commitTimestamp: 1,
    });
    const member = { groupId: 'g', memberId: a.memberId, groupInstanceId: null };
    expect(await coordinator.commitOffsets({ ...member, generationId: 1 }, [offset(0, 42)])).toBe(
      ErrorCode.NONE,
    );
    expect(await coordinator.commitOffsets({ ...member, generationId: 9 }, [offset(0, 99)])).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    // A tool's commit (generation -1, no member) is refused while the group has members.
    expect(
      await coordinator.commitOffsets(
        { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null },
        [offset(0, 7)],
      ),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await coordinator.fetchOffsets('g')).toEqual([offset(0, 42)]);

    // While the group prepares a rebalance, the current generation still commits (as in
    // Kafka: kafkajs commits in eachMessage and crashes on REBALANCE_IN_PROGRESS here).
    void coordinator.joinGroup(joinInput({ clientId: 'b' }));
    expect(await coordinator.commitOffsets({ ...member, generationId: 1 }, [offset(1, 5)])).toBe(
      ErrorCode.NONE,
    );
    expect(await coordinator.commitOffsets({ ...member, generationId: 0 }, [offset(1, 6)])).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect(await coordinator.fetchOffsets('g')).toEqual([offset(0, 42), offset(1, 5)]);
  });

  it('lists, describes and deletes groups; a group with members cannot be deleted', async () => {
    const a = await stableSingle();
    await coordinator.commitOffsets(
      { groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null },
      [
        {
          topic: 't',
          partition: 0,
          offset: 1,
          leaderEpoch: -1,
          metadata: null,
          commitTimestamp: 1,
        },
      ],
    );
    expect(await coordinator.listGroups()).toEqual([
      { groupId: 'g', protocolType: 'consumer', state: 'Stable' },
    ]);
    expect(await coordinator.deleteGroup('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(coordinator.leaveGroup('g', [{ memberId: a.memberId, groupInstanceId: null }])).toEqual([
      ErrorCode.NONE,
    ]);
    expect((await coordinator.describeGroup('g')).state).toBe('Empty');
    expect(await coordinator.deleteGroup('g')).toBe(ErrorCode.NONE);
    expect(await coordinator.fetchOffsets('g')).toEqual([]);
    expect(await coordinator.deleteGroup('g')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});
