/**
 * The consumer group APIs over the group coordinator: FindCoordinator, JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups.
 * Version ranges are those of a Kafka 3.x broker for the classic protocol; each handler maps
 * every version of its request onto the coordinator's protocol-independent calls.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import type { HandlerRegistry } from '../handlerRegistry';
import type { CommittedOffset, GroupCoordinator } from '../groups/groupCoordinator';

export interface GroupHandlerOptions {
  coordinator: GroupCoordinator;
  /** This broker: the coordinator of every group. */
  node: { nodeId: number; host: string; port: number };
  /** Whether a topic partition exists (commits to unknown partitions are refused, as in Kafka). */
  partitionExists(topic: string, partition: number): boolean;
  now?: () => number;
}

/** FindCoordinator key types: 0 = group, 1 = transaction. */
const KEY_TYPE_GROUP = 0;

const buffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function registerGroupHandlers(
  registry: HandlerRegistry,
  options: GroupHandlerOptions,
): HandlerRegistry {
  const { coordinator, node } = options;
  const now = options.now ?? Date.now;

  registry.register(ApiKey.FindCoordinator, {
    minVersion: 0,
    maxVersion: 4,
    handle(request, context) {
      const answer = (key: string) =>
        request.keyType === KEY_TYPE_GROUP
          ? {
              key,
              nodeId: node.nodeId,
              host: node.host,
              port: node.port,
              errorCode: ErrorCode.NONE,
              errorMessage: null,
            }
          : {
              key,
              nodeId: -1,
              host: '',
              port: -1,
              errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
              errorMessage: 'This broker has no transaction coordinator.',
            };
      if (context.apiVersion >= 4)
        return { throttleTimeMs: 0, coordinators: request.coordinatorKeys.map(answer) };
      const single = answer(request.key);
      return { throttleTimeMs: 0, ...single };
    },
  });

  registry.register(ApiKey.JoinGroup, {
    minVersion: 0,
    maxVersion: 9,
    async handle(request, context) {
      const result = await coordinator.joinGroup({
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        sessionTimeoutMs: request.sessionTimeoutMs,
        // v0 has no rebalance timeout: Kafka uses the session timeout.
        rebalanceTimeoutMs:
          context.apiVersion >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
        protocolType: request.protocolType,
        protocols: request.protocols.map((p) => ({ name: p.name, metadata: buffer(p.metadata) })),
        clientId: context.header.clientId ?? '',
        clientHost: `/${context.connection.remoteAddress}`,
        requireKnownMemberId: context.apiVersion >= 4,
      });
      // Before v4 a client cannot handle MEMBER_ID_REQUIRED, and the coordinator never sends it.
      return {
        throttleTimeMs: 0,
        errorCode: result.errorCode,
        generationId: result.generationId,
        protocolType: result.protocolType,
        // Versions before 7 cannot carry a null protocol name.
        protocolName: result.protocolName ?? (context.apiVersion >= 7 ? null : ''),
        leader: result.leader,
        skipAssignment: false,
        memberId: result.memberId,
        members: result.members,
      };
    },
  });

  registry.register(ApiKey.SyncGroup, {
    minVersion: 0,
    maxVersion: 5,
    async handle(request) {
      const result = await coordinator.syncGroup({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        assignments: request.assignments.map((a) => ({
          memberId: a.memberId,
          assignment: buffer(a.assignment),
        })),
      });
      return { throttleTimeMs: 0, ...result };
    },
  });

  registry.register(ApiKey.Heartbeat, {
    minVersion: 0,
    maxVersion: 4,
    handle(request) {
      return { throttleTimeMs: 0, errorCode: coordinator.heartbeat(request) };
    },
  });

  registry.register(ApiKey.LeaveGroup, {
    minVersion: 0,
    maxVersion: 5,
    handle(request, context) {
      // v0-2 name one member; v3+ (KIP-345) a batch, each with its own error.
      if (context.apiVersion < 3) {
        const [errorCode] = coordinator.leaveGroup(request.groupId, [
          { memberId: request.memberId, groupInstanceId: null },
        ]);
        return { throttleTimeMs: 0, errorCode: errorCode!, members: [] };
      }
      const codes = coordinator.leaveGroup(request.groupId, request.members);
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        members: request.members.map((m, i) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          errorCode: codes[i]!,
        })),
      };
    },
  });

  registry.register(ApiKey.OffsetCommit, {
    minVersion: 0,
    maxVersion: 8,
    async handle(request, context) {
      const commitTimestamp = now();
      const accepted: CommittedOffset[] = [];
      const errors = new Map<string, number>();
      for (const topic of request.topics) {
        for (const p of topic.partitions) {
          if (!options.partitionExists(topic.name, p.partitionIndex)) {
            errors.set(`${topic.name}\0${p.partitionIndex}`, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            continue;
          }
          accepted.push({
            topic: topic.name,
            partition: p.partitionIndex,
            offset: Number(p.committedOffset),
            leaderEpoch: context.apiVersion >= 6 ? p.committedLeaderEpoch : -1,
            metadata: p.committedMetadata,
            // v1 lets the client set the commit time; -1 means "now".
            commitTimestamp:
              context.apiVersion === 1 && p.commitTimestamp >= 0n
                ? Number(p.commitTimestamp)
                : commitTimestamp,
          });
        }
      }
      // v0 has no generation or member: a commit from outside any generation.
      const generationId = context.apiVersion >= 1 ? request.generationIdOrMemberEpoch : -1;
      const memberId = context.apiVersion >= 1 ? request.memberId : '';
      const errorCode =
        accepted.length === 0
          ? ErrorCode.NONE
          : await coordinator.commitOffsets(
              {
                groupId: request.groupId,
                generationId,
                memberId,
                groupInstanceId: request.groupInstanceId,
              },
              accepted,
            );
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: errors.get(`${topic.name}\0${p.partitionIndex}`) ?? errorCode,
          })),
        })),
      };
    },
  });

  registry.register(ApiKey.OffsetFetch, {
    minVersion: 0,
    maxVersion: 8,
    async handle(request, context) {
      const fetchGroup = async (
        groupId: string,
        topics: { name: string; partitionIndexes: number[] }[] | null,
      ) => {
        const wanted = topics?.flatMap((t) =>
          t.partitionIndexes.map((partition) => ({ topic: t.name, partition })),
        );
        const committed = await coordinator.fetchOffsets(groupId, wanted);
        const byKey = new Map(committed.map((o) => [`${o.topic}\0${o.partition}`, o]));
        const requested = wanted ?? committed.map(({ topic, partition }) => ({ topic, partition }));
        const names = [...new Set(requested.map((r) => r.topic))];
        return names.map((name) => ({
          name,
          partitions: requested
            .filter((r) => r.topic === name)
            .map(({ partition }) => {
              const offset = byKey.get(`${name}\0${partition}`);
              return {
                partitionIndex: partition,
                // -1 with no error: "no committed offset", as Kafka answers.
                committedOffset: BigInt(offset?.offset ?? -1),
                committedLeaderEpoch: offset?.leaderEpoch ?? -1,
                metadata: offset?.metadata ?? '',
                errorCode: ErrorCode.NONE,
              };
            }),
        }));
      };
      if (context.apiVersion >= 8) {
        const groups = await Promise.all(
          request.groups.map(async (g) => ({
            groupId: g.groupId,
            topics: await fetchGroup(g.groupId, g.topics),
            errorCode: ErrorCode.NONE,
          })),
        );
        return { throttleTimeMs: 0, groups };
      }
      // v0-1 cannot ask for "all topics" (null): it always names them.
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        topics: await fetchGroup(request.groupId, request.topics),
      };
    },
  });

  registry.register(ApiKey.ListGroups, {
    minVersion: 0,
    maxVersion: 4,
    async handle(request, context) {
      const groups = await coordinator.listGroups(
        context.apiVersion >= 4 ? request.statesFilter : [],
      );
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        groups: groups.map((g) => ({
          groupId: g.groupId,
          protocolType: g.protocolType,
          groupState: g.state,
          groupType: 'classic',
        })),
      };
    },
  });

  registry.register(ApiKey.DescribeGroups, {
    minVersion: 0,
    maxVersion: 5,
    async handle(request) {
      const groups = await Promise.all(
        request.groups.map((groupId) => coordinator.describeGroup(groupId)),
      );
      return {
        throttleTimeMs: 0,
        groups: groups.map((g) => ({
          errorCode: g.errorCode,
          groupId: g.groupId,
          groupState: g.state,
          protocolType: g.protocolType,
          protocolData: g.protocolName,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: m.metadata,
            memberAssignment: m.assignment,
          })),
          // No ACLs on this broker: "not requested / unknown" is Kafka's -2147483648.
          authorizedOperations: -2147483648,
        })),
      };
    },
  });

  registry.register(ApiKey.DeleteGroups, {
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const results = [];
      for (const groupId of request.groupsNames)
        results.push({ groupId, errorCode: await coordinator.deleteGroup(groupId) });
      return { throttleTimeMs: 0, results };
    },
  });

  return registry;
}
