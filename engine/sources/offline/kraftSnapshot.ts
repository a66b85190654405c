/**
 * KRaft snapshots: `__cluster_metadata-0/<end offset, 20 digits>-<epoch, 10 digits>.checkpoint`
 * (Kafka's `Snapshots.filenameFromSnapshotId`). A snapshot holds the whole cluster metadata as
 * of its end offset (the first log offset it does not contain) in record batches of the `.log`
 * format: a control batch with a SnapshotHeaderRecord, batches of metadata records, and a
 * control batch with a SnapshotFooterRecord. Its batches start again at offset 0, so it is a
 * file of its own beside the log, never part of the partition's offsets. In-progress
 * (`.checkpoint.part`) and deleted (`.checkpoint.deleted`) snapshots are not snapshots yet or
 * any more, and are left out.
 */
import { open, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Reader } from '../../../broker/protocol/messages/reader';
import { readSnapshotFooterRecord } from '../../../broker/protocol/messages/generated/SnapshotFooterRecord';
import { readSnapshotHeaderRecord } from '../../../broker/protocol/messages/generated/SnapshotHeaderRecord';
import {
  ControlRecordType,
  decodeRecordBatch,
  type ControlRecord,
} from '../../../broker/protocol/records';
import { explainDamage, type Damage } from './damage';
import { walkSegment } from './segmentWalk';

export const SNAPSHOT_NAME = /^(\d{20})-(\d{10})\.checkpoint$/;

export interface SnapshotId {
  /** The first log offset the snapshot does not contain. */
  endOffset: number;
  /** The leader epoch of the record at endOffset - 1. */
  epoch: number;
}

export function parseSnapshotFileName(name: string): SnapshotId | null {
  const match = SNAPSHOT_NAME.exec(name);
  return match ? { endOffset: Number(match[1]), epoch: Number(match[2]) } : null;
}

export interface SnapshotFile extends SnapshotId {
  /** Relative to the opened root, for reports. */
  name: string;
  path: string;
  size: number;
}

/** The snapshot files among a partition directory's `entries`, by end offset. */
export async function snapshotFiles(
  root: string,
  dir: string,
  entries: string[],
): Promise<SnapshotFile[]> {
  const files: SnapshotFile[] = [];
  for (const entry of entries) {
    const id = parseSnapshotFileName(entry);
    if (!id) continue;
    const path = join(dir, entry);
    files.push({ ...id, name: relative(root, path), path, size: (await stat(path)).size });
  }
  return files.sort((a, b) => a.endOffset - b.endOffset || a.epoch - b.epoch);
}

/** A snapshot's control record, decoded: what the dump prints as `decoded`. */
export type SnapshotControlRecord =
  | { kind: 'snapshotHeader'; version: number; lastContainedLogTimestamp: number }
  | { kind: 'snapshotFooter'; version: number };

/**
 * The SnapshotHeaderRecord or SnapshotFooterRecord in a control record's value (the struct
 * alone, whose first field is its version, as Kafka's ControlRecordUtils writes it); null for
 * other control records. Throws on a value that does not decode.
 */
export function decodeSnapshotControlRecord(
  control: ControlRecord,
  value: Buffer | null,
): SnapshotControlRecord | null {
  if (control.type === ControlRecordType.SNAPSHOT_HEADER) {
    if (value === null) throw new Error('SnapshotHeaderRecord without a value');
    const header = readSnapshotHeaderRecord(new Reader(value), 0);
    return {
      kind: 'snapshotHeader',
      version: header.version,
      lastContainedLogTimestamp: Number(header.lastContainedLogTimestamp),
    };
  }
  if (control.type === ControlRecordType.SNAPSHOT_FOOTER) {
    if (value === null) throw new Error('SnapshotFooterRecord without a value');
    return {
      kind: 'snapshotFooter',
      version: readSnapshotFooterRecord(new Reader(value), 0).version,
    };
  }
  return null;
}

export interface SnapshotDetails extends SnapshotId {
  file: string;
  bytes: number;
  batches: number;
  /** Metadata records, control records not counted. */
  records: number;
  /** From the SnapshotHeaderRecord: the append time of the last log record the snapshot holds. */
  lastContainedLogTimestamp: number | null;
  /** A SnapshotHeaderRecord first and a SnapshotFooterRecord last, as Kafka writes a whole one. */
  complete: boolean;
  /** What is odd about it besides damage (no header, no footer). */
  notes: string[];
  /** With its explanation, as a segment's. */
  damage: Damage[];
}

/** Walks a snapshot with its CRCs checked; the file is opened for reading only. */
export async function describeSnapshot(file: SnapshotFile): Promise<SnapshotDetails> {
  const handle = await open(file.path, 'r');
  const controls: SnapshotControlRecord['kind'][] = [];
  const damage: Damage[] = [];
  let records = 0;
  let lastContainedLogTimestamp: number | null = null;
  try {
    const walk = await walkSegment(handle, file.name, file.size, {
      verifyCrc: true,
      onEntry: (entry, position) => {
        if (entry.kind !== 'batch') {
          damage.push({
            file: file.name,
            position,
            offset: Number(entry.offset),
            kind: 'CORRUPT',
            message: `a magic ${entry.magic} message set, which no snapshot holds`,
            effect: 'skipped',
          });
          return;
        }
        if (!entry.header.isControl) {
          records += entry.header.recordsCount;
          return;
        }
        try {
          for (const record of decodeRecordBatch(entry.bytes, { verifyCrc: false }).records) {
            const decoded = record.control
              ? decodeSnapshotControlRecord(record.control, record.value)
              : null;
            if (!decoded) continue;
            controls.push(decoded.kind);
            if (decoded.kind === 'snapshotHeader') {
              lastContainedLogTimestamp = decoded.lastContainedLogTimestamp;
            }
          }
        } catch (error) {
          damage.push({
            file: file.name,
            position,
            offset: Number(entry.header.baseOffset),
            kind: 'CORRUPT',
            message: `control records cannot be decoded: ${(error as Error).message}`,
            effect: 'skipped',
          });
        }
      },
    });
    damage.push(...walk.damage);
    const notes: string[] = [];
    if (controls[0] !== 'snapshotHeader') {
      notes.push('It does not start with a SnapshotHeaderRecord.');
    }
    if (controls.at(-1) !== 'snapshotFooter') {
      notes.push(
        'It does not end with a SnapshotFooterRecord: Kafka writes the footer last, so the ' +
          'snapshot is incomplete (cut short, or copied while it was written).',
      );
    }
    return {
      file: file.name,
      endOffset: file.endOffset,
      epoch: file.epoch,
      bytes: file.size,
      batches: walk.batches,
      records,
      lastContainedLogTimestamp,
      complete: notes.length === 0,
      notes,
      // Explained as a segment's damage is; a snapshot is one file, so nothing comes after it.
      damage: damage
        .sort((a, b) => a.position - b.position)
        .map((d) =>
          explainDamage(
            d,
            d.effect === 'stopped'
              ? walk.lastOffset === null
                ? null
                : walk.lastOffset + 1
              : d.offset,
            null,
          ),
        ),
    };
  } finally {
    await handle.close();
  }
}
