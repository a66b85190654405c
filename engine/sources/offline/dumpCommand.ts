/**
 * `logscope dump PATH`: every batch and record of Kafka log files as JSON Lines on stdout —
 * what `kafka-dump-log.sh` prints, in a form scripts read. PATH is a segment file, a KRaft
 * snapshot (`.checkpoint`, whose header and footer control records are decoded too), a
 * partition directory or a log directory (whose snapshots are left out: their offsets start at
 * 0 again, and would repeat the log's). Damage is printed where it is found (`"type":"damage"`), never
 * skipped silently; `--validate` checks CRCs only, prints a summary and exits 1 on damage.
 */
import { open, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  COMPRESSION_NAMES,
  decodeLegacyMessageSet,
  decodeRecordBatch,
  initCompression,
  TimestampType,
} from '../../../broker/protocol/records';
import type { Damage } from './damage';
import { detectOfflinePath } from './detectPath';
import type { GoodEntry } from './entryRecords';
import { lastOffsetOf } from './entryRecords';
import { decodeInternalRecord } from './internalTopics';
import { KafkaLogDirSource } from './kafkaLogDir';
import { holdsSecrets } from './kraftMetadata';
import { decodeSnapshotControlRecord, parseSnapshotFileName } from './kraftSnapshot';
import { parsePartitionDirName } from './kafkaLayout';
import { walkSegment } from './segmentWalk';

const USAGE = `Usage: logscope dump PATH [options]

PATH: a Kafka segment file (.log), a KRaft snapshot (<end offset>-<epoch>.checkpoint),
a partition directory or a log directory (snapshots are dumped one file at a time).
Prints JSON Lines: one "batch" line per batch and one "record" line per record.

  --batches          batch lines only
  --records          record lines only
  --offsets-only     record lines with offset and timestamp only
  --from-offset N    start at offset N
  --to-offset N      stop after offset N
  --validate         check every CRC only; print damage and a summary; exit 1 on damage
  --help             this text
`;

export interface DumpOutput {
  write(line: string): Promise<void>;
  error(text: string): void;
}

/** Lines to stdout, waiting when the pipe is full. */
function stdoutOutput(): DumpOutput & { flush(): Promise<void> } {
  let pending = '';
  const flush = async () => {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    if (!process.stdout.write(chunk))
      await new Promise((resolve) => process.stdout.once('drain', resolve));
  };
  return {
    write: async (line) => {
      pending += line + '\n';
      if (pending.length > 64 * 1024) await flush();
    },
    error: (text) => process.stderr.write(text),
    flush,
  };
}

export async function runDump(argv: string[], output?: DumpOutput): Promise<number> {
  const out = output ?? stdoutOutput();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        batches: { type: 'boolean' },
        records: { type: 'boolean' },
        'offsets-only': { type: 'boolean' },
        'from-offset': { type: 'string' },
        'to-offset': { type: 'string' },
        validate: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    out.error(`logscope dump: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.error(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    out.error(`logscope dump: give exactly one PATH\n\n${USAGE}`);
    return 2;
  }
  const bound = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new Error(`--${name} must be a whole number ≥ 0, not "${text}"`);
    return n;
  };
  let from: number;
  let to: number;
  try {
    from = bound('from-offset', values['from-offset'], 0);
    to = bound('to-offset', values['to-offset'], Number.MAX_SAFE_INTEGER);
  } catch (error) {
    out.error(`logscope dump: ${(error as Error).message}\n`);
    return 2;
  }
  const showBatches = values.validate
    ? false
    : values.batches || !(values.records || values['offsets-only']);
  const showRecords = values.validate
    ? false
    : values.records || values['offsets-only'] || !values.batches;
  const offsetsOnly = values['offsets-only'] ?? false;

  // A KRaft snapshot is dumped as the one file it is, not as part of its partition's log.
  const snapshotPath = resolve(positionals[0]!);
  const snapshot = parseSnapshotFileName(basename(snapshotPath));
  let snapshotSize = 0;
  if (snapshot) {
    try {
      snapshotSize = (await stat(snapshotPath)).size;
    } catch (error) {
      out.error(`logscope dump: ${snapshotPath} cannot be read: ${(error as Error).message}\n`);
      return 2;
    }
  }

  let source: KafkaLogDirSource | null = null;
  try {
    if (!snapshot) source = await openSource(positionals[0]!, out);
  } catch (error) {
    out.error(`logscope dump: ${(error as Error).message}\n`);
    return 2;
  }
  if (!snapshot && source === null) return 2;
  await initCompression();
  const summary = { files: 0, batches: 0, records: 0, bytes: 0, damage: 0 };

  /** Prints one file's batches, records and damage. */
  const dumpFile = async (
    files: { log: string; name: string; size: number },
    topic: string,
    partition: number,
  ): Promise<void> => {
    summary.files++;
    const handle = await open(files.log, 'r');
    const lines: string[] = [];
    let failed: Damage[] = [];
    try {
      const walk = await walkSegment(handle, files.name, files.size, {
        verifyCrc: true,
        onEntry: async (entry, position) => {
          const last = lastOffsetOf(entry);
          const first = entry.kind === 'batch' ? Number(entry.header.baseOffset) : last;
          if (last < from || first > to) return;
          summary.batches++;
          summary.bytes += entry.sizeInBytes;
          if (values.validate) {
            // Counted from the header, as the walk does: validating decodes no records.
            summary.records += entry.kind === 'batch' ? entry.header.recordsCount : 1;
            return;
          }
          try {
            describeEntry(entry, position, files.name, topic, partition, {
              showBatches,
              showRecords,
              offsetsOnly,
              from,
              to,
              lines,
              count: () => summary.records++,
            });
          } catch (error) {
            failed.push({
              file: files.name,
              position,
              offset: first,
              kind: 'CORRUPT',
              message: `records cannot be decoded: ${(error as Error).message}`,
              effect: 'skipped',
            });
          }
          for (const line of lines) await out.write(line);
          lines.length = 0;
        },
      });
      failed = [...walk.damage, ...failed].sort((a, b) => a.position - b.position);
    } finally {
      await handle.close();
    }
    // Damage past --to-offset is outside what was asked for. Damage before --from-offset
    // stays: a damaged batch's own offsets are unknown, so it may hold some of the range.
    for (const damage of failed.filter((d) => d.offset === null || d.offset <= to)) {
      summary.damage++;
      await out.write(JSON.stringify({ type: 'damage', topic, partition, ...damage }));
    }
  };

  try {
    if (snapshot) {
      // Only KRaft's metadata partition has snapshots; its directory names the partition.
      const parsed = parsePartitionDirName(basename(dirname(snapshotPath)));
      await dumpFile(
        { log: snapshotPath, name: basename(snapshotPath), size: snapshotSize },
        parsed?.topic ?? '__cluster_metadata',
        parsed?.partition ?? 0,
      );
    }
    for (const topic of source?.topicNames() ?? []) {
      for (const partition of source!.partitions(topic)) {
        for (const files of filesInRange(partition.segmentFiles(), from, to)) {
          await dumpFile(files, topic, partition.partition);
        }
      }
    }
    if (values.validate) {
      await out.write(JSON.stringify({ type: 'summary', valid: summary.damage === 0, ...summary }));
    }
  } finally {
    await source?.close();
    if ('flush' in out) await (out as { flush(): Promise<void> }).flush();
  }
  return values.validate && summary.damage > 0 ? 1 : 0;
}

/** The Kafka files at `path`, or null (the reason printed) when it holds none. */
async function openSource(path: string, out: DumpOutput): Promise<KafkaLogDirSource | null> {
  const detected = await detectOfflinePath(path);
  if (detected.kind === 'logscope-data-dir') {
    out.error(
      `logscope dump: ${detected.path} is a Logscope broker data directory (LevelDB), not Kafka files. ` +
        `Export it first: logscope-broker export-kafka-dir --data-dir ${detected.path} --out DIR\n`,
    );
    return null;
  }
  return KafkaLogDirSource.open(detected);
}

interface DescribeOptions {
  showBatches: boolean;
  showRecords: boolean;
  offsetsOnly: boolean;
  from: number;
  to: number;
  lines: string[];
  count: () => void;
}

function bytesField(bytes: Buffer | null): { text: string | null; encoding: 'utf8' | 'base64' } {
  if (bytes === null) return { text: null, encoding: 'utf8' };
  const text = bytes.toString('utf8');
  return Buffer.byteLength(text) === bytes.length && !text.includes('\uFFFD')
    ? { text, encoding: 'utf8' }
    : { text: bytes.toString('base64'), encoding: 'base64' };
}

function describeEntry(
  entry: GoodEntry,
  position: number,
  file: string,
  topic: string,
  partition: number,
  options: DescribeOptions,
): void {
  const common = { file, position, topic, partition };
  if (entry.kind === 'batch') {
    const h = entry.header;
    if (options.showBatches) {
      options.lines.push(
        JSON.stringify({
          type: 'batch',
          ...common,
          magic: 2,
          baseOffset: Number(h.baseOffset),
          lastOffset: lastOffsetOf(entry),
          count: h.recordsCount,
          size: entry.sizeInBytes,
          compression: COMPRESSION_NAMES[h.compression] ?? String(h.compression),
          timestampType:
            h.timestampType === TimestampType.LogAppendTime ? 'LogAppendTime' : 'CreateTime',
          baseTimestamp: Number(h.baseTimestamp),
          maxTimestamp: Number(h.maxTimestamp),
          producerId: Number(h.producerId),
          producerEpoch: h.producerEpoch,
          baseSequence: h.baseSequence,
          partitionLeaderEpoch: h.partitionLeaderEpoch,
          isTransactional: h.isTransactional,
          isControl: h.isControl,
          crc: h.crc,
        }),
      );
    }
    if (!options.showRecords) return;
    const batch = decodeRecordBatch(entry.bytes, { verifyCrc: false });
    for (const r of batch.records) {
      const offset = Number(r.offset);
      if (offset < options.from || offset > options.to) continue;
      options.count();
      if (options.offsetsOnly) {
        options.lines.push(
          JSON.stringify({ type: 'record', offset, timestamp: Number(r.timestamp) }),
        );
        continue;
      }
      const key = bytesField(r.key);
      const value = bytesField(r.value);
      const line: Record<string, unknown> = {
        type: 'record',
        ...common,
        offset,
        timestamp: Number(r.timestamp),
        key: key.text,
        keyEncoding: key.encoding,
        value: value.text,
        valueEncoding: value.encoding,
        headers: r.headers.map((hd) => ({ key: hd.key, ...bytesField(hd.value) })),
      };
      if (r.control) {
        line.control = r.control;
        // A KRaft snapshot's header and footer (a damaged one is a decoding error, as a record's).
        const snapshotControl = decodeSnapshotControlRecord(r.control, r.value);
        if (snapshotControl) line.decoded = snapshotControl;
      } else {
        const internal = decodeInternalRecord(topic, r.key, r.value);
        if (internal) line.decoded = internal;
        if (topic === '__cluster_metadata' && r.value !== null && holdsSecrets(r.value)) {
          // SCRAM credentials: `decoded` shows their lengths; the raw bytes would give them away.
          line.value = null;
          line.valueRedacted = true;
        }
      }
      options.lines.push(JSON.stringify(line));
    }
    return;
  }
  const records = decodeLegacyMessageSet(entry.bytes, { verifyCrc: false });
  if (options.showBatches) {
    options.lines.push(
      JSON.stringify({
        type: 'batch',
        ...common,
        magic: entry.magic,
        baseOffset: Number(records[0]?.offset ?? entry.offset),
        lastOffset: Number(entry.offset),
        count: records.length,
        size: entry.sizeInBytes,
        compression: COMPRESSION_NAMES[records[0]?.compression ?? 0] ?? 'none',
      }),
    );
  }
  if (!options.showRecords) return;
  for (const r of records) {
    const offset = Number(r.offset);
    if (offset < options.from || offset > options.to) continue;
    options.count();
    if (options.offsetsOnly) {
      options.lines.push(
        JSON.stringify({ type: 'record', offset, timestamp: Number(r.timestamp) }),
      );
      continue;
    }
    const key = bytesField(r.key);
    const value = bytesField(r.value);
    options.lines.push(
      JSON.stringify({
        type: 'record',
        ...common,
        offset,
        magic: r.magic,
        timestamp: Number(r.timestamp),
        key: key.text,
        keyEncoding: key.encoding,
        value: value.text,
        valueEncoding: value.encoding,
        headers: [],
      }),
    );
  }
}

/**
 * The segment files that can hold offsets from..to: a segment holds offsets from its base up to
 * the next segment's base, so files starting past `to`, or followed by one starting at or
 * before `from`, are not read at all.
 */
function filesInRange<T extends { baseOffset: number }>(files: T[], from: number, to: number): T[] {
  const sorted = [...files].sort((a, b) => a.baseOffset - b.baseOffset);
  return sorted.filter(
    (file, i) => file.baseOffset <= to && !(sorted[i + 1] && sorted[i + 1]!.baseOffset <= from),
  );
}
