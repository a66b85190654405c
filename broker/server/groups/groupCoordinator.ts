/**
 * The group coordinator for Kafka's classic consumer group protocol (JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups).
 *
 * It follows Kafka's `GroupCoordinator` state machine: Empty → PreparingRebalance (members
 * rejoin, up to the rebalance timeout) → CompletingRebalance (the leader computes the
 * assignment and sends it with SyncGroup) → Stable. Members that stop heartbeating for their
 * session timeout are removed and the group rebalances. Membership lives in memory, as it does
 * in spirit in Kafka (members rejoin after a coordinator restart); committed offsets are stored
 * durably through `GroupOffsetStore`.
 *
 * Protocol-independent on purpose: handlers translate requests of any version into these calls.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface CommittedOffset extends TopicPartition {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

/** Where committed offsets live: the broker's log (`O` keys) in production. */
export interface GroupOffsetStore {
  commitOffsets(group: string, offsets: readonly CommittedOffset[]): Promise<void>;
  fetchOffsets(group: string, partitions?: readonly TopicPartition[]): Promise<CommittedOffset[]>;
  deleteGroup(group: string): Promise<void>;
  listGroups(): Promise<string[]>;
}

export interface GroupCoordinatorConfig {
  /** Kafka's `group.min.session.timeout.ms` and `group.max.session.timeout.ms`. */
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** Kafka's `group.initial.rebalance.delay.ms`: how long a new group waits for more members. */
  initialRebalanceDelayMs: number;
}

export const DEFAULT_GROUP_CONFIG: GroupCoordinatorConfig = {
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  // Kafka's default is 3 s; a desktop broker usually has one consumer and wants it fast.
  initialRebalanceDelayMs: 0,
};

export interface Protocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupInput {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+: a new dynamic member first receives its id with MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  /** Only the leader receives the members and their metadata. */
  members: JoinGroupMember[];
}

export interface SyncGroupInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface MemberIdentity {
  memberId: string;
  groupInstanceId: string | null;
}

export interface DescribedGroup {
  groupId: string;
  errorCode: number;
  state: GroupState;
  protocolType: string;
  protocolName: string;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }[];
}

/** Timers, injectable so tests can drive time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  assignment: Buffer;
  awaitingJoin: ((result: JoinGroupResult) => void) | null;
  awaitingSync: ((result: SyncGroupResult) => void) | null;
  sessionTimer: unknown;
}

interface Group {
  id: string;
  state: GroupState;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  members: Map<string, Member>;
  /** Static members: group.instance.id → current member id. */
  staticMembers: Map<string, string>;
  /** Member ids handed out with MEMBER_ID_REQUIRED, until they join or time out. */
  pendingMembers: Map<string, unknown>;
  rebalanceTimer: unknown;
  /** True while a new group waits `initialRebalanceDelayMs` for more members. */
  initialDelay: boolean;
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly store: GroupOffsetStore,
    private readonly config: GroupCoordinatorConfig = DEFAULT_GROUP_CONFIG,
    private readonly timers: Timers = realTimers,
  ) {}

  // ───────────────────────────── JoinGroup ─────────────────────────────

  joinGroup(input: JoinGroupInput): Promise<JoinGroupResult> {
    const fail = (errorCode: number, memberId = input.memberId): Promise<JoinGroupResult> =>
      Promise.resolve(joinError(errorCode, memberId));
    if (input.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
    if (
      input.sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      input.sessionTimeoutMs > this.config.maxSessionTimeoutMs
    ) {
      return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    }
    const group = this.groupFor(input.groupId);
    if (!this.protocolsCompatible(group, input)) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);

    if (input.memberId === '') return this.joinUnknownMember(group, input);
    return this.joinKnownMember(group, input);
  }

  private joinUnknownMember(group: Group, input: JoinGroupInput): Promise<JoinGroupResult> {
    const memberId = `${input.clientId || 'member'}-${randomUUID()}`;
    if (input.groupInstanceId !== null) {
      const previousId = group.staticMembers.get(input.groupInstanceId);
      const previous = previousId === undefined ? undefined : group.members.get(previousId);
      if (previous) return this.replaceStaticMember(group, previous, memberId, input);
      return this.addMemberAndRebalance(group, memberId, input);
    }
    if (input.requireKnownMemberId) {
      // Kafka (KIP-394): hand out the id first, so a client that retries never leaves ghosts.
      const timer = this.timers.setTimeout(() => {
        group.pendingMembers.delete(memberId);
        this.maybeCompleteJoin(group);
      }, input.sessionTimeoutMs);
      group.pendingMembers.set(memberId, timer);
      return Promise.resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
    }
    return this.addMemberAndRebalance(group, memberId, input);
  }

  private joinKnownMember(group: Group, input: JoinGroupInput): Promise<JoinGroupResult> {
    const pendingTimer = group.pendingMembers.get(input.memberId);
    if (pendingTimer !== undefined) {
      this.timers.clearTimeout(pendingTimer);
      group.pendingMembers.delete(input.memberId);
      return this.addMemberAndRebalance(group, input.memberId, input);
    }
    const member = group.members.get(input.memberId);
    if (!member) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, input.memberId));
    if (
      input.groupInstanceId !== null &&
      group.staticMembers.get(input.groupInstanceId) !== member.memberId
    ) {
      return Promise.resolve(joinError(ErrorCode.FENCED_INSTANCE_ID, input.memberId));
    }
    const protocolsChanged = !sameProtocols(member.protocols, input.protocols);
    this.updateMember(member, input);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.awaitJoin(group, member);
      case 'CompletingRebalance':
        if (!protocolsChanged) return Promise.resolve(this.joinResult(group, member));
        return this.rebalanceAndAwait(group, member);
      case 'Stable':
        // The leader rejoining, or new protocols, means the assignment must be computed again.
        if (member.memberId === group.leaderId || protocolsChanged)
          return this.rebalanceAndAwait(group, member);
        return Promise.resolve(this.joinResult(group, member));
      default:
        return this.rebalanceAndAwait(group, member);
    }
  }

  private replaceStaticMember(
    group: Group,
    previous: Member,
    memberId: string,
    input: JoinGroupInput,
  ): Promise<JoinGroupResult> {
    // The old incarnation of this instance is fenced: whatever it waits for fails.
    previous.awaitingJoin?.(joinError(ErrorCode.FENCED_INSTANCE_ID, previous.memberId));
    previous.awaitingSync?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
    this.timers.clearTimeout(previous.sessionTimer);
    group.members.delete(previous.memberId);
    const member = this.newMember(memberId, input);
    member.assignment = previous.assignment;
    group.members.set(memberId, member);
    group.staticMembers.set(input.groupInstanceId!, memberId);
    const wasLeader = group.leaderId === previous.memberId;
    if (wasLeader) group.leaderId = memberId;
    if (
      group.state === 'Stable' &&
      !wasLeader &&
      sameProtocols(previous.protocols, input.protocols)
    ) {
      // A restarted static member gets its old assignment back without a rebalance (KIP-345).
      this.resetSession(group, member);
      return Promise.resolve(this.joinResult(group, member));
    }
    return this.rebalanceAndAwait(group, member);
  }

  private addMemberAndRebalance(
    group: Group,
    memberId: string,
    input: JoinGroupInput,
  ): Promise<JoinGroupResult> {
    const member = this.newMember(memberId, input);
    group.members.set(memberId, member);
    if (input.groupInstanceId !== null) group.staticMembers.set(input.groupInstanceId, memberId);
    if (group.protocolType === null) group.protocolType = input.protocolType;
    return this.rebalanceAndAwait(group, member);
  }

  private rebalanceAndAwait(group: Group, member: Member): Promise<JoinGroupResult> {
    const result = this.awaitJoin(group, member, false);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    this.maybeCompleteJoin(group);
    return result;
  }

  private awaitJoin(group: Group, member: Member, check = true): Promise<JoinGroupResult> {
    const result = new Promise<JoinGroupResult>((resolve) => {
      // A second JoinGroup from the same member replaces the first (the client gave up on it).
      member.awaitingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
      member.awaitingJoin = resolve;
    });
    // While it waits to rejoin, the session timer does not run (Kafka does the same).
    this.timers.clearTimeout(member.sessionTimer);
    if (check) this.maybeCompleteJoin(group);
    return result;
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      for (const member of group.members.values()) {
        member.assignment = EMPTY;
        member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        member.awaitingSync = null;
      }
    }
    const wasEmpty = group.state === 'Empty' || group.state === 'Dead';
    group.state = 'PreparingRebalance';
    this.timers.clearTimeout(group.rebalanceTimer);
    const rebalanceTimeoutMs = Math.max(
      0,
      ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs),
    );
    if (wasEmpty && this.config.initialRebalanceDelayMs > 0) {
      group.initialDelay = true;
      group.rebalanceTimer = this.timers.setTimeout(
        () => {
          group.initialDelay = false;
          this.maybeCompleteJoin(group);
        },
        Math.min(this.config.initialRebalanceDelayMs, rebalanceTimeoutMs),
      );
      return;
    }
    group.rebalanceTimer = this.timers.setTimeout(
      () => this.completeJoin(group),
      rebalanceTimeoutMs,
    );
  }

  private maybeCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || group.initialDelay) return;
    const everyoneJoined = [...group.members.values()].every((m) => m.awaitingJoin !== null);
    if (everyoneJoined && group.pendingMembers.size === 0) this.completeJoin(group);
  }

  /** Ends the join phase: members that did not rejoin in time are removed. */
  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    this.timers.clearTimeout(group.rebalanceTimer);
    for (const member of [...group.members.values()]) {
      if (member.awaitingJoin === null) this.removeMember(group, member);
    }
    group.generationId++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocolName = null;
      group.leaderId = null;
      return;
    }
    group.protocolName = this.selectProtocol(group);
    if (group.leaderId === null || !group.members.has(group.leaderId)) {
      group.leaderId = group.members.keys().next().value!;
    }
    group.state = 'CompletingRebalance';
    for (const member of group.members.values()) {
      const respond = member.awaitingJoin!;
      member.awaitingJoin = null;
      respond(this.joinResult(group, member));
      this.resetSession(group, member);
    }
  }

  private joinResult(group: Group, member: Member): JoinGroupResult {
    const isLeader = member.memberId === group.leaderId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? EMPTY,
          }))
        : [],
    };
  }

  /** The protocol every member supports that the most members list first (Kafka's vote). */
  private selectProtocol(group: Group): string {
    const members = [...group.members.values()];
    const candidates = members[0]!.protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map(candidates.map((name) => [name, 0]));
    for (const member of members) {
      const preferred = member.protocols.find((p) => votes.has(p.name))!.name;
      votes.set(preferred, votes.get(preferred)! + 1);
    }
    return [...votes.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
  }

  private protocolsCompatible(group: Group, input: JoinGroupInput): boolean {
    if (input.protocolType === '' || input.protocols.length === 0) return false;
    const others = [...group.members.values()].filter((m) => m.memberId !== input.memberId);
    if (others.length === 0) return true;
    if (group.protocolType !== null && group.protocolType !== input.protocolType) return false;
    return input.protocols.some((p) =>
      others.every((m) => m.protocols.some((q) => q.name === p.name)),
    );
  }

  // ───────────────────────────── SyncGroup ─────────────────────────────

  syncGroup(input: SyncGroupInput): Promise<SyncGroupResult> {
    const found = this.lookup(input.groupId, input);
    if (typeof found === 'number') return Promise.resolve(syncError(found));
    const { group, member } = found;
    if (input.generationId !== group.generationId)
      return Promise.resolve(syncError(ErrorCode.ILLEGAL_GENERATION));
    this.resetSession(group, member);
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        return Promise.resolve(this.syncResult(group, member));
      case 'CompletingRebalance': {
        const result = new Promise<SyncGroupResult>((resolve) => (member.awaitingSync = resolve));
        if (member.memberId === group.leaderId) {
          const assignments = new Map(input.assignments.map((a) => [a.memberId, a.assignment]));
          for (const m of group.members.values())
            m.assignment = assignments.get(m.memberId) ?? EMPTY;
          group.state = 'Stable';
          for (const m of group.members.values()) {
            m.awaitingSync?.(this.syncResult(group, m));
            m.awaitingSync = null;
          }
        }
        return result;
      }
      default:
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private syncResult(group: Group, member: Member): SyncGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: member.assignment,
    };
  }

  // ───────────────────────────── Heartbeat / LeaveGroup ─────────────────────────────

  heartbeat(input: { groupId: string; generationId: number } & MemberIdentity): number {
    const found = this.lookup(input.groupId, input);
    if (typeof found === 'number') return found;
    const { group, member } = found;
    if (group.state === 'PreparingRebalance') {
      this.resetSession(group, member);
      return ErrorCode.REBALANCE_IN_PROGRESS;
    }
    if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.resetSession(group, member);
    return ErrorCode.NONE;
  }

  /** Removes members; answers one error code per member, as LeaveGroup v3+ does. */
  leaveGroup(groupId: string, members: MemberIdentity[]): number[] {
    const group = this.groups.get(groupId);
    return members.map((identity) => {
      if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
      const memberId =
        identity.groupInstanceId !== null && identity.memberId === ''
          ? group.staticMembers.get(identity.groupInstanceId)
          : identity.memberId;
      const member = memberId === undefined ? undefined : group.members.get(memberId);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (
        identity.groupInstanceId !== null &&
        member.groupInstanceId !== identity.groupInstanceId
      ) {
        return ErrorCode.FENCED_INSTANCE_ID;
      }
      this.memberGone(group, member);
      return ErrorCode.NONE;
    });
  }

  /**
   * Finds the member a request speaks for, or the error to answer: a static member whose
   * instance id now belongs to a newer member id is fenced (FENCED_INSTANCE_ID).
   */
  private lookup(
    groupId: string,
    identity: MemberIdentity,
  ): { group: Group; member: Member } | number {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (identity.groupInstanceId !== null) {
      const current = group.staticMembers.get(identity.groupInstanceId);
      if (current !== undefined && current !== identity.memberId)
        return ErrorCode.FENCED_INSTANCE_ID;
    }
    const member = group.members.get(identity.memberId);
    return member ? { group, member } : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private resetSession(group: Group, member: Member): void {
    this.timers.clearTimeout(member.sessionTimer);
    member.sessionTimer = this.timers.setTimeout(() => {
      if (group.members.get(member.memberId) === member) this.memberGone(group, member);
    }, member.sessionTimeoutMs);
  }

  /** A member left or its session expired: the rest of the group rebalances. */
  private memberGone(group: Group, member: Member): void {
    member.awaitingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.awaitingSync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    this.removeMember(group, member);
    if (group.members.size === 0 && group.state !== 'PreparingRebalance') {
      group.state = 'Empty';
      group.leaderId = null;
      group.protocolName = null;
      group.generationId++;
      return;
    }
    if (group.state === 'Stable' || group.state === 'CompletingRebalance')
      this.prepareRebalance(group);
    this.maybeCompleteJoin(group);
  }

  private removeMember(group: Group, member: Member): void {
    this.timers.clearTimeout(member.sessionTimer);
    group.members.delete(member.memberId);
    if (
      member.groupInstanceId !== null &&
      group.staticMembers.get(member.groupInstanceId) === member.memberId
    ) {
      group.staticMembers.delete(member.groupInstanceId);
    }
    if (group.leaderId === member.memberId) group.leaderId = null;
  }

  // ───────────────────────────── Offsets ─────────────────────────────

  /**
   * Validates a commit against the group's membership and stores it. A commit with generation
   * -1 and no member id is a "simple" commit (tools, `kcat -G` resets): allowed while the
   * group has no members.
   */
  async commitOffsets(
    input: {
      groupId: string;
      generationId: number;
      memberId: string;
      groupInstanceId: string | null;
    },
    offsets: CommittedOffset[],
  ): Promise<number> {
    if (input.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(input.groupId);
    if (input.generationId < 0 && input.memberId === '') {
      if (group && group.members.size > 0) return ErrorCode.UNKNOWN_MEMBER_ID;
    } else {
      const found = this.lookup(input.groupId, input);
      if (typeof found === 'number') return found;
      const { group, member } = found;
      // Kafka accepts commits of the current generation while the group prepares a rebalance
      // (members commit what they consumed before rejoining; the heartbeat tells them to
      // rejoin) and refuses them only between join and sync.
      if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
      if (member.awaitingJoin === null) this.resetSession(group, member);
    }
    await this.store.commitOffsets(input.groupId, offsets);
    return ErrorCode.NONE;
  }

  fetchOffsets(groupId: string, partitions?: TopicPartition[]): Promise<CommittedOffset[]> {
    return this.store.fetchOffsets(groupId, partitions);
  }

  // ───────────────────────────── Admin ─────────────────────────────

  async listGroups(
    statesFilter: string[] = [],
  ): Promise<{ groupId: string; protocolType: string; state: GroupState }[]> {
    const ids = new Set([...this.groups.keys(), ...(await this.store.listGroups())]);
    const wanted = new Set(statesFilter.map((s) => s.toLowerCase()));
    return [...ids]
      .sort()
      .map((groupId) => {
        const group = this.groups.get(groupId);
        return {
          groupId,
          protocolType: group?.protocolType ?? 'consumer',
          state: group?.state ?? ('Empty' as GroupState),
        };
      })
      .filter((g) => wanted.size === 0 || wanted.has(g.state.toLowerCase()));
  }

  async describeGroup(groupId: string): Promise<DescribedGroup> {
    const group = this.groups.get(groupId);
    if (!group) {
      const known = (await this.store.listGroups()).includes(groupId);
      return {
        groupId,
        errorCode: ErrorCode.NONE,
        state: known ? 'Empty' : 'Dead',
        protocolType: known ? 'consumer' : '',
        protocolName: '',
        members: [],
      };
    }
    return {
      groupId,
      errorCode: ErrorCode.NONE,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolName: group.state === 'Stable' ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? EMPTY,
        assignment: m.assignment,
      })),
    };
  }

  /** Deletes a group with no members, and its committed offsets. */
  async deleteGroup(groupId: string): Promise<number> {
    const group = this.groups.get(groupId);
    if (group && group.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    const stored = (await this.store.listGroups()).includes(groupId);
    if (!group && !stored) return ErrorCode.GROUP_ID_NOT_FOUND;
    await this.store.deleteGroup(groupId);
    if (group) {
      group.state = 'Dead';
      this.groups.delete(groupId);
    }
    return ErrorCode.NONE;
  }

  /** Stops every timer (broker shutdown). */
  close(): void {
    for (const group of this.groups.values()) {
      this.timers.clearTimeout(group.rebalanceTimer);
      for (const timer of group.pendingMembers.values()) this.timers.clearTimeout(timer);
      for (const member of group.members.values()) this.timers.clearTimeout(member.sessionTimer);
    }
  }

  // ───────────────────────────── helpers ─────────────────────────────

  private groupFor(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = {
        id: groupId,
        state: 'Empty',
        generationId: 0,
        protocolType: null,
        protocolName: null,
        leaderId: null,
        members: new Map(),
        staticMembers: new Map(),
        pendingMembers: new Map(),
        rebalanceTimer: undefined,
        initialDelay: false,
      };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private newMember(memberId: string, input: JoinGroupInput): Member {
    return {
      memberId,
      groupInstanceId: input.groupInstanceId,
      clientId: input.clientId,
      clientHost: input.clientHost,
      sessionTimeoutMs: input.sessionTimeoutMs,
      rebalanceTimeoutMs: input.rebalanceTimeoutMs,
      protocolType: input.protocolType,
      protocols: input.protocols,
      assignment: EMPTY,
      awaitingJoin: null,
      awaitingSync: null,
      sessionTimer: undefined,
    };
  }

  private updateMember(member: Member, input: JoinGroupInput): void {
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    member.protocols = input.protocols;
    member.clientId = input.clientId;
    member.clientHost = input.clientHost;
  }
}

function sameProtocols(a: Protocol[], b: Protocol[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata))
  );
}

function joinError(errorCode: number, memberId: string): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    memberId,
    members: [],
  };
}

function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}
