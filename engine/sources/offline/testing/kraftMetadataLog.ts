/**
 * A small KRaft `__cluster_metadata-0` partition for tests: what a single-node cluster writes
 * when it starts and a topic is created, record values assembled byte by byte from Kafka's
 * metadata record definitions (frame version 1, record type, record version, then the fields;
 * compact strings and arrays carry length + 1; each struct ends with its tagged fields).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeRecordBatch } from '../../../../broker/protocol/records';

export const KRAFT_TOPIC_ID_HEX = '000102030405060708090a0b0c0d0e0f';
/** The same id in Kafka's text form (URL-safe base64, no padding). */
export const KRAFT_TOPIC_ID = 'AAECAwQFBgcICQoLDA0ODw';
export const KRAFT_LOG_DIR_ID_HEX = 'f0e0d0c0b0a090807060504030201000';
export const KRAFT_LOG_DIR_ID = '8ODQwLCgkIBwYFBAMCAQAA';

function hex(...pieces: string[]): Buffer {
  return Buffer.from(pieces.join('').replace(/\s+/g, ''), 'hex');
}

/** Record values in log order (offsets 0…). */
export const KRAFT_RECORD_VALUES: readonly Buffer[] = [
  // FeatureLevelRecord v0: metadata.version = 19
  hex('01 0c 00', '11 6d657461646174612e76657273696f6e', '0013', '00'),
  // RegisterBrokerRecord v3: broker 1, PLAINTEXT localhost:9092, one log dir (tag 0)
  hex(
    '01 00 03',
    '00000001', // brokerId
    '00', // isMigratingZkBroker false
    KRAFT_TOPIC_ID_HEX, // incarnationId
    '0000000000000006', // brokerEpoch
    '02 0a 504c41494e54455854 0a 6c6f63616c686f7374 2384 0000 00', // endPoints
    '02 11 6d657461646174612e76657273696f6e 0001 0013 00', // features
    '00', // rack null
    '01', // fenced
    '00', // inControlledShutdown
    '01 00 11 02',
    KRAFT_LOG_DIR_ID_HEX, // tagged: logDirs
  ),
  // TopicRecord v0: "orders"
  hex('01 02 00', '07 6f7264657273', KRAFT_TOPIC_ID_HEX, '00'),
  // PartitionRecord v1: orders-0 on broker 1
  hex(
    '01 03 01',
    '00000000', // partitionId
    KRAFT_TOPIC_ID_HEX, // topicId
    '02 00000001', // replicas [1]
    '02 00000001', // isr [1]
    '01 01', // removingReplicas [], addingReplicas []
    '00000001', // leader
    '00000000 00000000', // leaderEpoch, partitionEpoch
    '02',
    KRAFT_LOG_DIR_ID_HEX, // directories
    '00',
  ),
  // UserScramCredentialRecord v0: alice, SCRAM-SHA-256, 4-byte salt, 32-byte keys
  hex(
    '01 0b 00',
    '06 616c696365', // name
    '01', // mechanism
    '05 01020304', // salt
    '21',
    'aa'.repeat(32), // storedKey
    '21',
    'bb'.repeat(32), // serverKey
    '00001000', // iterations
    '00',
  ),
  // PartitionChangeRecord v0: leader of orders-0 becomes -1 (tag 1)
  hex('01 05 00', '00000000', KRAFT_TOPIC_ID_HEX, '01 01 04 ffffffff'),
  // TopicRecord v7: a version newer than the reader knows
  hex('01 02 07', '07 6f7264657273', KRAFT_TOPIC_ID_HEX, '00'),
];

/** The record type of each of KRAFT_RECORD_VALUES, in the same order. */
export const KRAFT_RECORD_TYPE_NAMES: readonly string[] = [
  'FeatureLevelRecord',
  'RegisterBrokerRecord',
  'TopicRecord',
  'PartitionRecord',
  'UserScramCredentialRecord',
  'PartitionChangeRecord',
  'TopicRecord',
];

export const KRAFT_BASE_TIMESTAMP = 1_700_000_000_000;

/** NoOpRecord v0 (type 20, no fields): what a KRaft controller appends every 500 ms when idle. */
export const KRAFT_NO_OP_RECORD = hex('01 14 00 00');

export interface KraftPartitionOptions {
  /**
   * NoOpRecords in a batch of their own between the two batches of KRAFT_RECORD_VALUES (which
   * then start at offset 4 + noOpRecords), as a real metadata log is mostly NoOps.
   */
  noOpRecords?: number;
}

/** Writes `<logDir>/__cluster_metadata-0/00000000000000000000.log`; returns the segment path. */
export async function writeKraftMetadataPartition(
  logDir: string,
  options: KraftPartitionOptions = {},
): Promise<string> {
  const partitionDir = join(logDir, '__cluster_metadata-0');
  await mkdir(partitionDir, { recursive: true });
  const noOps = options.noOpRecords ?? 0;
  // Two batches, as the controller appends records in small atomic batches.
  const first = encodeRecordBatch({
    baseOffset: 0,
    baseTimestamp: KRAFT_BASE_TIMESTAMP,
    records: KRAFT_RECORD_VALUES.slice(0, 4).map((value) => ({ value })),
  });
  const idle =
    noOps === 0
      ? Buffer.alloc(0)
      : encodeRecordBatch({
          baseOffset: 4,
          baseTimestamp: KRAFT_BASE_TIMESTAMP + 500,
          records: Array.from({ length: noOps }, () => ({ value: KRAFT_NO_OP_RECORD })),
        });
  const second = encodeRecordBatch({
    baseOffset: 4 + noOps,
    baseTimestamp: KRAFT_BASE_TIMESTAMP + 1000,
    records: KRAFT_RECORD_VALUES.slice(4).map((value) => ({ value })),
  });
  const segment = join(partitionDir, '00000000000000000000.log');
  await writeFile(segment, Buffer.concat([first, idle, second]));
  return segment;
}

/** A SnapshotHeaderRecord's lastContainedLogTimestamp in the snapshot writeKraftSnapshot writes. */
export const KRAFT_SNAPSHOT_LOG_TIMESTAMP = KRAFT_BASE_TIMESTAMP + 1000;
/** The metadata records of that snapshot: the log's first five (features … SCRAM credential). */
export const KRAFT_SNAPSHOT_RECORD_COUNT = 5;

/** A control record: key `version: int16, type: int16` (3 header, 4 footer), value the struct. */
function snapshotControlBatch(baseOffset: number, type: 3 | 4, value: Buffer): Buffer {
  return encodeRecordBatch({
    baseOffset,
    baseTimestamp: KRAFT_SNAPSHOT_LOG_TIMESTAMP,
    isControl: true,
    records: [{ key: hex('0000', type === 3 ? '0003' : '0004'), value }],
  });
}

/**
 * Writes a KRaft snapshot `<partitionDir>/<endOffset>-<epoch>.checkpoint` as Kafka's
 * RecordsSnapshotWriter does: a SnapshotHeaderRecord control batch (version 0, then
 * lastContainedLogTimestamp, no tagged fields) at offset 0, the metadata records from offset 1,
 * and a SnapshotFooterRecord control batch last. Returns the file's path and its bytes.
 */
export async function writeKraftSnapshot(
  partitionDir: string,
  endOffset: number,
  epoch: number,
): Promise<{ path: string; bytes: Buffer }> {
  await mkdir(partitionDir, { recursive: true });
  const header = Buffer.alloc(11);
  header.writeInt16BE(0, 0);
  header.writeBigInt64BE(BigInt(KRAFT_SNAPSHOT_LOG_TIMESTAMP), 2);
  const records = encodeRecordBatch({
    baseOffset: 1,
    baseTimestamp: KRAFT_SNAPSHOT_LOG_TIMESTAMP,
    records: KRAFT_RECORD_VALUES.slice(0, KRAFT_SNAPSHOT_RECORD_COUNT).map((value) => ({ value })),
  });
  const bytes = Buffer.concat([
    snapshotControlBatch(0, 3, header),
    records,
    snapshotControlBatch(1 + KRAFT_SNAPSHOT_RECORD_COUNT, 4, hex('0000 00')),
  ]);
  const name = `${String(endOffset).padStart(20, '0')}-${String(epoch).padStart(10, '0')}.checkpoint`;
  const path = join(partitionDir, name);
  await writeFile(path, bytes);
  return { path, bytes };
}
