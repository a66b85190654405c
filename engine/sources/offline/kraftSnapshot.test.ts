import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_BATCH_HEADER_SIZE } from '../../../broker/protocol/records';
import { detectOfflinePath } from './detectPath';
import { dumpLines } from './testing/dumpLines';
import { KafkaLogDirSource } from './kafkaLogDir';
import { parseSnapshotFileName } from './kraftSnapshot';
import {
  KRAFT_RECORD_VALUES,
  KRAFT_SNAPSHOT_LOG_TIMESTAMP,
  KRAFT_RECORD_TYPE_NAMES,
  KRAFT_SNAPSHOT_RECORD_COUNT,
  KRAFT_TOPIC_ID,
  writeKraftMetadataPartition,
  writeKraftSnapshot,
} from './testing/kraftMetadataLog';

const TOPIC = '__cluster_metadata';
const SNAPSHOT = '00000000000000000007-0000000001.checkpoint';

let root: string;
let snapshotPath: string;
let snapshotBytes: Buffer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logscope-kraft-snapshot-'));
  const segment = await writeKraftMetadataPartition(join(root, 'logs'));
  const partitionDir = join(segment, '..');
  ({ path: snapshotPath, bytes: snapshotBytes } = await writeKraftSnapshot(partitionDir, 7, 1));
  // A snapshot being written and one being deleted: not snapshots for a reader.
  await writeFile(join(partitionDir, `${SNAPSHOT.replace('07-', '08-')}.part`), snapshotBytes);
  await writeFile(join(partitionDir, `${SNAPSHOT.replace('07-', '03-')}.deleted`), snapshotBytes);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function openLogs(dir: string): Promise<KafkaLogDirSource> {
  return KafkaLogDirSource.open(await detectOfflinePath(dir));
}

async function dump(
  ...argv: string[]
): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const { code, lines, stderr } = await dumpLines(...argv);
  expect(stderr).toBe('');
  return { code, lines };
}

/** A copy of the snapshot in a partition directory of its own, changed by `damage`. */
async function damagedCopy(name: string, damage: (bytes: Buffer) => Buffer): Promise<string> {
  const dir = join(root, name, `${TOPIC}-0`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, SNAPSHOT), damage(Buffer.from(snapshotBytes)));
  return join(root, name);
}

describe('KRaft snapshot file names', () => {
  it('name the end offset and the epoch; in-progress and deleted ones are not snapshots', () => {
    expect(parseSnapshotFileName(SNAPSHOT)).toEqual({ endOffset: 7, epoch: 1 });
    expect(parseSnapshotFileName(`${SNAPSHOT}.part`)).toBeNull();
    expect(parseSnapshotFileName(`${SNAPSHOT}.deleted`)).toBeNull();
    expect(parseSnapshotFileName('00000000000000000007.checkpoint')).toBeNull();
  });
});

describe('KRaft snapshots in an offline log directory', () => {
  it('are listed with the partition segments: end offset, epoch, counts, header time', async () => {
    const source = await openLogs(join(root, 'logs'));
    try {
      const list = await source.segments(TOPIC, 0);
      expect(list.segments.map((s) => s.file)).toEqual([
        join(`${TOPIC}-0`, '00000000000000000000.log'),
      ]);
      expect(list.snapshots).toEqual([
        {
          file: join(`${TOPIC}-0`, SNAPSHOT),
          endOffset: 7,
          epoch: 1,
          bytes: snapshotBytes.length,
          batches: 3,
          records: KRAFT_SNAPSHOT_RECORD_COUNT,
          lastContainedLogTimestamp: KRAFT_SNAPSHOT_LOG_TIMESTAMP,
          complete: true,
          notes: [],
          damage: [],
        },
      ]);
      expect(list.damage).toEqual([]);
      // Its records are not the partition's messages: the log alone sets the offsets.
      expect(await source.offsets(TOPIC)).toEqual([
        { partition: 0, logStartOffset: 0, highWatermark: KRAFT_RECORD_VALUES.length },
      ]);
    } finally {
      await source.close();
    }
  });

  it('are not listed for a partition that has none', async () => {
    const plain = join(root, 'plain');
    await writeKraftMetadataPartition(plain);
    const source = await openLogs(plain);
    try {
      expect((await source.segments(TOPIC, 0)).snapshots).toBeUndefined();
    } finally {
      await source.close();
    }
  });

  it('report a damaged copy like a segment: a CRC mismatch with file, position and meaning', async () => {
    // A byte in the second batch's records (past its header) changes: its CRC no longer matches.
    const headerBatchSize = snapshotBytes.readInt32BE(8) + 12;
    const position = headerBatchSize + RECORD_BATCH_HEADER_SIZE + 5;
    const dir = await damagedCopy('crc', (bytes) => {
      bytes[position] = bytes[position]! ^ 0xff;
      return bytes;
    });
    const source = await openLogs(dir);
    try {
      const list = await source.segments(TOPIC, 0);
      const snapshot = list.snapshots![0]!;
      expect(snapshot.damage).toMatchObject([
        {
          file: join(`${TOPIC}-0`, SNAPSHOT),
          position: headerBatchSize,
          offset: 1,
          kind: 'CRC_MISMATCH',
          effect: 'skipped',
          readableBefore: 1,
        },
      ]);
      expect(snapshot.damage[0]!.explanation).toMatch(/checksum does not match/);
      expect(snapshot.records).toBe(0);
      expect(list.damage).toEqual(snapshot.damage);
    } finally {
      await source.close();
    }
  });

  it('say a snapshot cut short has no footer, and where it was cut', async () => {
    const dir = await damagedCopy('cut', (bytes) => bytes.subarray(0, bytes.length - 10));
    const source = await openLogs(dir);
    try {
      const snapshot = (await source.segments(TOPIC, 0)).snapshots![0]!;
      expect(snapshot.complete).toBe(false);
      expect(snapshot.notes.join(' ')).toMatch(/does not end with a SnapshotFooterRecord/);
      expect(snapshot.damage).toMatchObject([
        { kind: 'TRUNCATED', effect: 'stopped', readableBefore: 1 + KRAFT_SNAPSHOT_RECORD_COUNT },
      ]);
    } finally {
      await source.close();
    }
  });
});

describe('logscope dump on a KRaft snapshot', () => {
  it('prints the header, the metadata records decoded and the footer', async () => {
    const { code, lines } = await dump(snapshotPath, '--records');
    expect(code).toBe(0);
    expect(lines.map((l) => l.offset)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(lines.every((l) => l.file === SNAPSHOT && l.topic === TOPIC)).toBe(true);
    expect(lines[0]).toMatchObject({
      control: { typeName: 'SNAPSHOT_HEADER' },
      decoded: {
        kind: 'snapshotHeader',
        version: 0,
        lastContainedLogTimestamp: KRAFT_SNAPSHOT_LOG_TIMESTAMP,
      },
    });
    expect(lines.slice(1, -1).map((l) => (l.decoded as { typeName: string }).typeName)).toEqual(
      KRAFT_RECORD_TYPE_NAMES.slice(0, KRAFT_SNAPSHOT_RECORD_COUNT),
    );
    expect(lines[3]!.decoded).toMatchObject({
      fields: { name: 'orders', topicId: KRAFT_TOPIC_ID },
    });
    // SCRAM keys stay out of a snapshot's dump as they do out of the log's.
    expect(lines[5]).toMatchObject({ value: null, valueRedacted: true });
    expect(lines.at(-1)).toMatchObject({
      control: { typeName: 'SNAPSHOT_FOOTER' },
      decoded: { kind: 'snapshotFooter', version: 0 },
    });
  });

  it('--validate reports a damaged snapshot and exits 1', async () => {
    const dir = await damagedCopy('validate', (bytes) => bytes.subarray(0, bytes.length - 10));
    const { code, lines } = await dump(join(dir, `${TOPIC}-0`, SNAPSHOT), '--validate');
    expect(code).toBe(1);
    expect(lines).toMatchObject([
      { type: 'damage', topic: TOPIC, partition: 0, file: SNAPSHOT, kind: 'TRUNCATED' },
      { type: 'summary', valid: false, files: 1, damage: 1 },
    ]);
  });

  it('leaves snapshots out of a directory dump, whose offsets are the log', async () => {
    const { lines } = await dump(join(root, 'logs'), '--offsets-only');
    expect(lines.map((l) => l.offset)).toEqual(KRAFT_RECORD_VALUES.map((_, i) => i));
  });
});
