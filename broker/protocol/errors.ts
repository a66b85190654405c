/**
 * Kafka's protocol error codes: one table of code, name (Kafka's `Errors` enum name), whether
 * Kafka's clients treat the error as retriable (its exception is a `RetriableException`), and a
 * short description. Protocol guide, "Error Codes": https://kafka.apache.org/protocol#protocol_error_codes
 *
 * The broker answers with these codes only; internal failures map to the closest one (storage
 * failures to KAFKA_STORAGE_ERROR, bad batches to CORRUPT_MESSAGE, …) and are logged.
 */

export interface KafkaErrorCode {
  readonly code: number;
  readonly name: string;
  readonly retriable: boolean;
  readonly message: string;
}

type Row = readonly [code: number, name: string, retriable: boolean, message: string];

const ROWS = [
  [
    -1,
    'UNKNOWN_SERVER_ERROR',
    false,
    'The server hit an unexpected error while processing the request.',
  ],
  [0, 'NONE', false, 'No error.'],
  [
    1,
    'OFFSET_OUT_OF_RANGE',
    false,
    'The offset is outside the range of offsets the partition holds.',
  ],
  [
    2,
    'CORRUPT_MESSAGE',
    true,
    'A record batch failed its CRC check, has an invalid size, or is otherwise corrupt.',
  ],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', true, 'This server does not host this topic-partition.'],
  [4, 'INVALID_FETCH_SIZE', false, 'The requested fetch size is invalid.'],
  [
    5,
    'LEADER_NOT_AVAILABLE',
    true,
    'The partition has no leader at the moment (a leader election is in progress).',
  ],
  [
    6,
    'NOT_LEADER_OR_FOLLOWER',
    true,
    'This server is not the leader (or not a replica) of the partition.',
  ],
  [7, 'REQUEST_TIMED_OUT', true, 'The request timed out.'],
  [8, 'BROKER_NOT_AVAILABLE', false, 'The broker is not available.'],
  [
    9,
    'REPLICA_NOT_AVAILABLE',
    true,
    'The replica is not available for the requested topic-partition.',
  ],
  [
    10,
    'MESSAGE_TOO_LARGE',
    false,
    'A record batch is larger than the largest message the server accepts.',
  ],
  [11, 'STALE_CONTROLLER_EPOCH', false, 'The controller moved to another broker.'],
  [12, 'OFFSET_METADATA_TOO_LARGE', false, 'The metadata of the committed offset is too large.'],
  [13, 'NETWORK_EXCEPTION', true, 'The server disconnected before a response was received.'],
  [
    14,
    'COORDINATOR_LOAD_IN_PROGRESS',
    true,
    'The coordinator is still loading and cannot serve requests yet.',
  ],
  [15, 'COORDINATOR_NOT_AVAILABLE', true, 'The coordinator is not available.'],
  [16, 'NOT_COORDINATOR', true, 'This server is not the coordinator for the group or transaction.'],
  [17, 'INVALID_TOPIC_EXCEPTION', false, 'The operation names an invalid topic.'],
  [
    18,
    'RECORD_LIST_TOO_LARGE',
    false,
    'A record batch is larger than the segment size the server is configured with.',
  ],
  [19, 'NOT_ENOUGH_REPLICAS', true, 'Fewer replicas are in sync than the topic requires.'],
  [
    20,
    'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    true,
    'The records were written, but to fewer in-sync replicas than required.',
  ],
  [21, 'INVALID_REQUIRED_ACKS', false, 'The produce request has an invalid acks value.'],
  [22, 'ILLEGAL_GENERATION', false, 'The group generation id is not the current one.'],
  [
    23,
    'INCONSISTENT_GROUP_PROTOCOL',
    false,
    "The member's protocols are incompatible with the group's, or the first member gave none.",
  ],
  [24, 'INVALID_GROUP_ID', false, 'The group id is invalid.'],
  [25, 'UNKNOWN_MEMBER_ID', false, 'The coordinator does not know this member.'],
  [
    26,
    'INVALID_SESSION_TIMEOUT',
    false,
    'The session timeout is outside group.min.session.timeout.ms..group.max.session.timeout.ms.',
  ],
  [27, 'REBALANCE_IN_PROGRESS', false, 'The group is rebalancing; the member must rejoin.'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', false, 'The committed offset data has an invalid size.'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', false, 'Not authorized to access the topic.'],
  [30, 'GROUP_AUTHORIZATION_FAILED', false, 'Not authorized to access the group.'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', false, 'Not authorized for this cluster operation.'],
  [32, 'INVALID_TIMESTAMP', false, 'A record timestamp is outside the acceptable range.'],
  [
    33,
    'UNSUPPORTED_SASL_MECHANISM',
    false,
    'The broker does not support the requested SASL mechanism.',
  ],
  [34, 'ILLEGAL_SASL_STATE', false, 'The request is not valid in the current SASL state.'],
  [35, 'UNSUPPORTED_VERSION', false, 'The broker does not support this version of the API.'],
  [36, 'TOPIC_ALREADY_EXISTS', false, 'A topic with this name already exists.'],
  [37, 'INVALID_PARTITIONS', false, 'The number of partitions is invalid.'],
  [
    38,
    'INVALID_REPLICATION_FACTOR',
    false,
    'The replication factor is below 1 or larger than the number of brokers.',
  ],
  [39, 'INVALID_REPLICA_ASSIGNMENT', false, 'The replica assignment is invalid.'],
  [40, 'INVALID_CONFIG', false, 'The configuration is invalid.'],
  [41, 'NOT_CONTROLLER', true, 'This server is not the controller of the cluster.'],
  [
    42,
    'INVALID_REQUEST',
    false,
    'The request is malformed, or was sent to a broker that cannot handle it; see the broker log.',
  ],
  [
    43,
    'UNSUPPORTED_FOR_MESSAGE_FORMAT',
    false,
    "The broker's message format version does not support the request.",
  ],
  [44, 'POLICY_VIOLATION', false, 'The request parameters do not satisfy the configured policy.'],
  [
    45,
    'OUT_OF_ORDER_SEQUENCE_NUMBER',
    false,
    'The broker received an out-of-order sequence number from an idempotent producer.',
  ],
  [
    46,
    'DUPLICATE_SEQUENCE_NUMBER',
    false,
    'The broker received a duplicate sequence number from an idempotent producer.',
  ],
  [47, 'INVALID_PRODUCER_EPOCH', false, 'The producer used an old epoch.'],
  [
    48,
    'INVALID_TXN_STATE',
    false,
    'The producer attempted a transactional operation in an invalid state.',
  ],
  [
    49,
    'INVALID_PRODUCER_ID_MAPPING',
    false,
    'The producer id is not the one assigned to its transactional id.',
  ],
  [
    50,
    'INVALID_TRANSACTION_TIMEOUT',
    false,
    'The transaction timeout is larger than transaction.max.timeout.ms.',
  ],
  [
    51,
    'CONCURRENT_TRANSACTIONS',
    false,
    'Another operation on the same transaction is still in progress.',
  ],
  [
    52,
    'TRANSACTION_COORDINATOR_FENCED',
    false,
    'The transaction coordinator that sent WriteTxnMarkers is no longer the coordinator.',
  ],
  [
    53,
    'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    false,
    'Not authorized to use the transactional id.',
  ],
  [54, 'SECURITY_DISABLED', false, 'Security features are disabled.'],
  [
    55,
    'OPERATION_NOT_ATTEMPTED',
    false,
    'The broker did not attempt this operation because others in the same request failed.',
  ],
  [56, 'KAFKA_STORAGE_ERROR', true, 'The broker failed to access its log storage.'],
  [57, 'LOG_DIR_NOT_FOUND', false, 'The log directory is not in the broker configuration.'],
  [58, 'SASL_AUTHENTICATION_FAILED', false, 'SASL authentication failed.'],
  [
    59,
    'UNKNOWN_PRODUCER_ID',
    false,
    'The broker has no state for this producer id (its records may have been deleted by retention).',
  ],
  [60, 'REASSIGNMENT_IN_PROGRESS', false, 'A partition reassignment is in progress.'],
  [61, 'DELEGATION_TOKEN_AUTH_DISABLED', false, 'Delegation tokens are not enabled.'],
  [62, 'DELEGATION_TOKEN_NOT_FOUND', false, 'The delegation token was not found.'],
  [
    63,
    'DELEGATION_TOKEN_OWNER_MISMATCH',
    false,
    'The principal is not the owner or a renewer of the delegation token.',
  ],
  [
    64,
    'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED',
    false,
    'Delegation token requests are not allowed on this channel.',
  ],
  [65, 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', false, 'Delegation token authorization failed.'],
  [66, 'DELEGATION_TOKEN_EXPIRED', false, 'The delegation token has expired.'],
  [67, 'INVALID_PRINCIPAL_TYPE', false, 'The principal type is not supported.'],
  [68, 'NON_EMPTY_GROUP', false, 'The group is not empty.'],
  [69, 'GROUP_ID_NOT_FOUND', false, 'The group does not exist.'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND', true, 'The fetch session id was not found.'],
  [71, 'INVALID_FETCH_SESSION_EPOCH', true, 'The fetch session epoch is invalid.'],
  [
    72,
    'LISTENER_NOT_FOUND',
    true,
    'The leader has no listener matching the one the metadata request came in on.',
  ],
  [73, 'TOPIC_DELETION_DISABLED', false, 'Topic deletion is disabled.'],
  [74, 'FENCED_LEADER_EPOCH', true, 'The leader epoch in the request is older than the broker’s.'],
  [75, 'UNKNOWN_LEADER_EPOCH', true, 'The leader epoch in the request is newer than the broker’s.'],
  [
    76,
    'UNSUPPORTED_COMPRESSION_TYPE',
    false,
    "The client does not support the partition's compression type.",
  ],
  [77, 'STALE_BROKER_EPOCH', false, 'The broker epoch has changed.'],
  [
    78,
    'OFFSET_NOT_AVAILABLE',
    true,
    'The high watermark has not caught up after a leader election, so offsets are not available yet.',
  ],
  [
    79,
    'MEMBER_ID_REQUIRED',
    false,
    'The member must rejoin with the member id the coordinator assigned.',
  ],
  [80, 'PREFERRED_LEADER_NOT_AVAILABLE', true, 'The preferred leader is not available.'],
  [81, 'GROUP_MAX_SIZE_REACHED', false, 'The group has reached its maximum size.'],
  [
    82,
    'FENCED_INSTANCE_ID',
    false,
    'Another member with the same group.instance.id has registered with a different member id.',
  ],
  [
    83,
    'ELIGIBLE_LEADERS_NOT_AVAILABLE',
    true,
    'No eligible leader is available for the partition.',
  ],
  [84, 'ELECTION_NOT_NEEDED', true, 'The partition does not need a leader election.'],
  [85, 'NO_REASSIGNMENT_IN_PROGRESS', false, 'No partition reassignment is in progress.'],
  [
    86,
    'GROUP_SUBSCRIBED_TO_TOPIC',
    false,
    'Offsets of a topic cannot be deleted while the group is subscribed to it.',
  ],
  [87, 'INVALID_RECORD', false, 'A record failed validation on the broker and was rejected.'],
  [
    88,
    'UNSTABLE_OFFSET_COMMIT',
    true,
    'There are pending transactional offsets for the partition.',
  ],
  [89, 'THROTTLING_QUOTA_EXCEEDED', true, 'The throttling quota has been exceeded.'],
  [
    90,
    'PRODUCER_FENCED',
    false,
    'A newer producer with the same transactional id has fenced this one.',
  ],
  [91, 'RESOURCE_NOT_FOUND', false, 'The request refers to a resource that does not exist.'],
  [92, 'DUPLICATE_RESOURCE', false, 'The request refers to the same resource twice.'],
  [
    93,
    'UNACCEPTABLE_CREDENTIAL',
    false,
    'The credential does not meet the criteria for acceptability.',
  ],
  [
    94,
    'INCONSISTENT_VOTER_SET',
    false,
    'The sender or receiver of a voter-only request is not one of the expected voters.',
  ],
  [95, 'INVALID_UPDATE_VERSION', false, 'The update version is invalid.'],
  [
    96,
    'FEATURE_UPDATE_FAILED',
    false,
    'Finalized features could not be updated because of an unexpected server error.',
  ],
  [
    97,
    'PRINCIPAL_DESERIALIZATION_FAILURE',
    false,
    'The forwarded request principal could not be deserialized.',
  ],
  [98, 'SNAPSHOT_NOT_FOUND', false, 'The snapshot was not found.'],
  [
    99,
    'POSITION_OUT_OF_RANGE',
    false,
    'The position is negative or beyond the size of the snapshot.',
  ],
  [100, 'UNKNOWN_TOPIC_ID', true, 'This server does not host a topic with this id.'],
  [101, 'DUPLICATE_BROKER_REGISTRATION', false, 'This broker id is already in use.'],
  [102, 'BROKER_ID_NOT_REGISTERED', false, 'This broker id is not registered.'],
  [
    103,
    'INCONSISTENT_TOPIC_ID',
    true,
    "The topic id in the request does not match the log's topic id.",
  ],
  [
    104,
    'INCONSISTENT_CLUSTER_ID',
    false,
    "The cluster id in the request does not match the server's.",
  ],
  [105, 'TRANSACTIONAL_ID_NOT_FOUND', false, 'The transactional id was not found.'],
  [
    106,
    'FETCH_SESSION_TOPIC_ID_ERROR',
    true,
    'The fetch session mixed topic ids and topic names inconsistently.',
  ],
  [107, 'INELIGIBLE_REPLICA', false, 'The new ISR contains an ineligible replica.'],
  [
    108,
    'NEW_LEADER_ELECTED',
    false,
    'The partition state was updated, but a new leader has been elected.',
  ],
  [109, 'OFFSET_MOVED_TO_TIERED_STORAGE', false, 'The offset has moved to tiered storage.'],
  [
    110,
    'FENCED_MEMBER_EPOCH',
    false,
    'The member epoch is fenced; the member must give up its partitions and rejoin.',
  ],
  [
    111,
    'UNRELEASED_INSTANCE_ID',
    false,
    'The instance id is still used by another member, which must leave first.',
  ],
  [
    112,
    'UNSUPPORTED_ASSIGNOR',
    false,
    'The group does not support this assignor or assignor version.',
  ],
  [
    113,
    'STALE_MEMBER_EPOCH',
    false,
    'The member epoch is stale; the member must retry with its current epoch.',
  ],
  [
    114,
    'MISMATCHED_ENDPOINT_TYPE',
    false,
    'The request was sent to an endpoint of the wrong type.',
  ],
  [115, 'UNSUPPORTED_ENDPOINT_TYPE', false, 'This endpoint type is not supported yet.'],
  [116, 'UNKNOWN_CONTROLLER_ID', false, 'This controller id is not known.'],
  [117, 'UNKNOWN_SUBSCRIPTION_ID', false, 'The telemetry subscription id is unknown or outdated.'],
  [118, 'TELEMETRY_TOO_LARGE', false, 'The telemetry push is larger than the broker accepts.'],
  [119, 'INVALID_REGISTRATION', false, 'The controller considers the broker registration invalid.'],
  [
    120,
    'TRANSACTION_ABORTABLE',
    false,
    'The transaction failed; the producer can abort it and continue with the same transactional id.',
  ],
  [
    121,
    'INVALID_RECORD_STATE',
    false,
    'The record state is invalid; the delivery acknowledgement was not completed.',
  ],
  [122, 'SHARE_SESSION_NOT_FOUND', true, 'The share session was not found.'],
  [123, 'INVALID_SHARE_SESSION_EPOCH', true, 'The share session epoch is invalid.'],
  [
    124,
    'FENCED_STATE_EPOCH',
    false,
    'The share-group state epoch does not match the coordinator’s.',
  ],
  [125, 'INVALID_VOTER_KEY', false, "The voter key does not match the receiving replica's key."],
  [126, 'DUPLICATE_VOTER', false, 'The voter is already part of the voter set.'],
  [127, 'VOTER_NOT_FOUND', false, 'The voter is not part of the voter set.'],
  [128, 'INVALID_REGULAR_EXPRESSION', false, 'The regular expression is not valid.'],
  [
    129,
    'REBOOTSTRAP_REQUIRED',
    false,
    'The client metadata is stale; the client must rebootstrap.',
  ],
] as const satisfies readonly Row[];

/** Every Kafka error code, in code order. */
export const KAFKA_ERROR_CODES: readonly KafkaErrorCode[] = ROWS.map(
  ([code, name, retriable, message]) => Object.freeze({ code, name, retriable, message }),
);

const byCode = new Map(KAFKA_ERROR_CODES.map((error) => [error.code, error]));

/** The entry for a code; an unknown code reads as UNKNOWN_SERVER_ERROR, as Kafka's clients do. */
export function kafkaError(code: number): KafkaErrorCode {
  return byCode.get(code) ?? byCode.get(-1)!;
}

type Rows = typeof ROWS;

/** Error codes by Kafka name, for handlers: `ErrorCode.UNKNOWN_TOPIC_OR_PARTITION` is 3. */
export const ErrorCode = Object.freeze(
  Object.fromEntries(ROWS.map(([code, name]) => [name, code])),
) as { readonly [R in Rows[number] as R[1]]: R[0] };
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An error a handler throws to answer with a Kafka error code: the code goes into the response
 * where the API puts it; `cause` keeps the internal failure for the log.
 */
export class KafkaProtocolError extends Error {
  override readonly name = 'KafkaProtocolError';
  readonly code: number;
  readonly retriable: boolean;

  constructor(code: number, message?: string, options?: { cause?: unknown }) {
    const entry = kafkaError(code);
    super(message ?? `${entry.name}: ${entry.message}`, options);
    this.code = entry.code;
    this.retriable = entry.retriable;
  }
}
