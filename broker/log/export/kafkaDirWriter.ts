/**
 * Writes record batches (or legacy message sets) into Kafka's log directory layout, the way a
 * Kafka broker lays them out, so Kafka's tools and Logscope's offline reader can open it:
 *
 *   meta.properties, log-start-offset-checkpoint, replication-offset-checkpoint,
 *   recovery-point-offset-checkpoint, <topic>-<partition>/{<base>.log,.index,.timeindex,
 *   partition.metadata, leader-epoch-checkpoint}
 *
 * Entries are written as given (bytes as produced, offsets already assigned). Index entries
 * follow Kafka's LogSegment.append: after more than `index.interval.bytes` (4096) of appends
 * since the last entry, the next batch gets an `.index` entry (its last offset, its position)
 * and a `.timeindex` entry (the largest timestamp so far and its offset).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const INDEX_INTERVAL_BYTES = 4096;

export interface PartitionToWrite {
  topic: string;
  partition: number;
  /** Kafka's text form of the topic id (base64url, 22 characters), written to partition.metadata. */
  topicId?: string;
  /** Segments in offset order; each holds whole entries with offsets assigned. */
  segments: { baseOffset: number; entries: Buffer[] }[];
  logStartOffset: number;
  highWatermark: number;
}

export interface KafkaDirOptions {
  clusterId: string;
  nodeId?: number;
}

export function segmentFileName(baseOffset: number, extension: string): string {
  return `${String(baseOffset).padStart(20, '0')}.${extension}`;
}

export function checkpointFile(
  entries: { topic: string; partition: number; offset: number }[],
): string {
  const lines = entries.map((e) => `${e.topic} ${e.partition} ${e.offset}`);
  return ['0', String(entries.length), ...lines, ''].join('\n');
}

/** The entry's last offset and largest timestamp, from its header (magic 2) or outer message. */
function entryFacts(entry: Buffer): { lastOffset: number; maxTimestamp: number } {
  const magic = entry[16];
  if (magic === 2) {
    return {
      lastOffset: Number(entry.readBigInt64BE(0)) + entry.readInt32BE(23),
      maxTimestamp: Number(entry.readBigInt64BE(35)),
    };
  }
  const timestamp = magic === 1 ? Number(entry.readBigInt64BE(18)) : -1;
  return { lastOffset: Number(entry.readBigInt64BE(0)), maxTimestamp: timestamp };
}

/** One segment's `.log`, `.index` and `.timeindex` contents. */
export function segmentFiles(
  baseOffset: number,
  entries: Buffer[],
): { log: Buffer; index: Buffer; timeIndex: Buffer } {
  const index: number[][] = [];
  const time: number[][] = [];
  let position = 0;
  let sinceLastEntry = 0;
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = baseOffset;
  for (const entry of entries) {
    const facts = entryFacts(entry);
    if (facts.maxTimestamp > maxTimestamp) {
      maxTimestamp = facts.maxTimestamp;
      offsetOfMaxTimestamp = facts.lastOffset;
    }
    if (sinceLastEntry > INDEX_INTERVAL_BYTES) {
      index.push([facts.lastOffset - baseOffset, position]);
      const lastTime = time.at(-1);
      if (!lastTime || maxTimestamp > lastTime[0]!)
        time.push([maxTimestamp, offsetOfMaxTimestamp - baseOffset]);
      sinceLastEntry = 0;
    }
    sinceLastEntry += entry.length;
    position += entry.length;
  }
  const indexBytes = Buffer.alloc(index.length * 8);
  index.forEach(([relative, at], i) => {
    indexBytes.writeInt32BE(relative!, i * 8);
    indexBytes.writeInt32BE(at!, i * 8 + 4);
  });
  const timeBytes = Buffer.alloc(time.length * 12);
  time.forEach(([timestamp, relative], i) => {
    timeBytes.writeBigInt64BE(BigInt(timestamp!), i * 12);
    timeBytes.writeInt32BE(relative!, i * 12 + 8);
  });
  return { log: Buffer.concat(entries), index: indexBytes, timeIndex: timeBytes };
}

/** Writes a Kafka log directory into `out`, which must not exist or be empty. */
export async function writeKafkaLogDir(
  out: string,
  partitions: PartitionToWrite[],
  options: KafkaDirOptions,
): Promise<void> {
  await mkdir(out, { recursive: true });
  if ((await readdir(out)).length > 0)
    throw new Error(`${out} is not empty: choose a new or empty directory`);
  const nodeId = options.nodeId ?? 0;
  await writeFile(
    join(out, 'meta.properties'),
    `version=1\nnode.id=${nodeId}\ncluster.id=${options.clusterId}\n`,
  );
  for (const p of partitions) {
    const dir = join(out, `${p.topic}-${p.partition}`);
    await mkdir(dir);
    for (const segment of p.segments) {
      const files = segmentFiles(segment.baseOffset, segment.entries);
      await writeFile(join(dir, segmentFileName(segment.baseOffset, 'log')), files.log);
      await writeFile(join(dir, segmentFileName(segment.baseOffset, 'index')), files.index);
      await writeFile(join(dir, segmentFileName(segment.baseOffset, 'timeindex')), files.timeIndex);
    }
    if (p.segments.length === 0) {
      const base = p.logStartOffset;
      for (const ext of ['log', 'index', 'timeindex'])
        await writeFile(join(dir, segmentFileName(base, ext)), Buffer.alloc(0));
    }
    if (p.topicId)
      await writeFile(join(dir, 'partition.metadata'), `version: 0\ntopic_id: ${p.topicId}\n`);
    await writeFile(join(dir, 'leader-epoch-checkpoint'), '0\n0\n');
  }
  const at = (pick: (p: PartitionToWrite) => number) =>
    checkpointFile(
      partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: pick(p) })),
    );
  await writeFile(
    join(out, 'log-start-offset-checkpoint'),
    at((p) => p.logStartOffset),
  );
  await writeFile(
    join(out, 'replication-offset-checkpoint'),
    at((p) => p.highWatermark),
  );
  await writeFile(
    join(out, 'recovery-point-offset-checkpoint'),
    at((p) => p.highWatermark),
  );
}
