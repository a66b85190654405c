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
