/**
 * Damage found in log files: where (file, byte position), at which offset, and what. Offline
 * readers never crash on bad bytes and never skip them silently: every stop or skip becomes one
 * of these, listed with the partition's segments and by `logscope dump --validate`.
 */
import type { CorruptRecordBatchError } from '../../../broker/protocol/records';
import type { Damage } from '../../api';

/** The contract's shape (engine/api/topics.ts): file, byte position, offset, kind, effect. */
export type { Damage };
export type DamageKind = Damage['kind'];

export function corruptionKind(error: CorruptRecordBatchError): DamageKind {
  return error.kind === 'CRC_MISMATCH' ? 'CRC_MISMATCH' : 'CORRUPT';
}

/**
 * The codec's message with the byte counted from the start of the file: the codec counts from
 * the start of the chunk it was given, which starts at `chunkPosition` in the file.
 */
export function damageMessage(error: CorruptRecordBatchError, chunkPosition: number): string {
  return `${error.detail} (at byte ${chunkPosition + error.position})`;
}

/** Collects damage once per file and position, whichever reader found it first. */
export class DamageLog {
  private readonly found = new Map<string, Damage>();

  add(damage: Damage): void {
    const key = `${damage.file}\0${damage.position}`;
    if (!this.found.has(key)) this.found.set(key, damage);
  }

  list(): Damage[] {
    return [...this.found.values()].sort((a, b) =>
      a.file === b.file ? a.position - b.position : a.file < b.file ? -1 : 1,
    );
  }

  forFile(file: string): Damage[] {
    return this.list().filter((d) => d.file === file);
  }
}

export function describeDamage(damage: Damage): string {
  const at = damage.offset === null ? '' : ` (offset ${damage.offset})`;
  return `${damage.file} at byte ${damage.position}${at}: ${damage.message}`;
}

/** What each kind of damage means for the data, for someone who has not read the format spec. */
const MEANING: Record<DamageKind, string> = {
  TRUNCATED:
    'The file ends in the middle of a batch: the copy was cut short, or the broker stopped while writing it. That batch is incomplete and cannot be read.',
  LENGTH_PAST_EOF:
    'A batch says it is longer than what is left of the file: its length field is damaged, or the file was cut short. The reader cannot tell where the next batch starts, so it stops here.',
  ZERO_FILLED_TAIL:
    'The file ends in zero bytes instead of batches: space the broker set aside but never wrote (after a crash, or a copy taken while it was running). No written records are in it.',
  CRC_MISMATCH:
    'The batch’s checksum does not match its bytes: they changed on disk or while being copied. Its records are not shown, because they cannot be trusted; the batches after it are read as usual.',
  CORRUPT:
    'These bytes are not a valid batch (a wrong magic byte, an impossible length, or records that do not decode).',
};

/**
 * The damage with a plain explanation and the offset before which the file reads cleanly:
 * `readableBefore` is the first offset lost to a stop, or the skipped batch's first offset.
 */
export function explainDamage(
  damage: Damage,
  readableBefore: number | null,
  nextSegmentBase: number | null,
): Damage {
  const parts = [MEANING[damage.kind]];
  if (readableBefore !== null) {
    parts.push(`Everything before offset ${readableBefore} in this file is readable.`);
  } else {
    parts.push('Nothing in this file before it holds records.');
  }
  if (damage.effect === 'stopped') {
    parts.push(
      nextSegmentBase === null
        ? 'Nothing after it in this file can be read.'
        : `Nothing after it in this file can be read; reading goes on in the next segment, from offset ${nextSegmentBase}.`,
    );
  }
  return { ...damage, explanation: parts.join(' '), readableBefore };
}
