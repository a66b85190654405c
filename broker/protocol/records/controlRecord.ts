/**
 * Control records: the one record of a control batch (attributes bit 5). Its key is
 * `version: int16, type: int16`; for transaction markers (ABORT, COMMIT) its value is
 * `version: int16, coordinatorEpoch: int32` (Kafka's EndTransactionMarker). KRaft writes
 * other types into `__cluster_metadata`; they are named but their values are left raw.
 */

export const ControlRecordType = {
  ABORT: 0,
  COMMIT: 1,
  LEADER_CHANGE: 2,
  SNAPSHOT_HEADER: 3,
  SNAPSHOT_FOOTER: 4,
  KRAFT_VERSION: 5,
  KRAFT_VOTERS: 6,
} as const;

export type ControlRecordTypeName = keyof typeof ControlRecordType | 'UNKNOWN';

const NAMES = new Map<number, ControlRecordTypeName>(
  Object.entries(ControlRecordType).map(([name, id]) => [id, name as ControlRecordTypeName]),
);

export interface ControlRecord {
  /** Version of the control record key (0 today). */
  version: number;
  type: number;
  typeName: ControlRecordTypeName;
  /** For ABORT and COMMIT markers with a well-formed value: the transaction coordinator epoch. */
  coordinatorEpoch?: number;
}

/**
 * Reads the control record in `key` (and `value`), or returns null when the key is too
 * short to be one.
 */
export function parseControlRecord(key: Buffer | null, value: Buffer | null): ControlRecord | null {
  if (key === null || key.length < 4) return null;
  const type = key.readInt16BE(2);
  const control: ControlRecord = {
    version: key.readInt16BE(0),
    type,
    typeName: NAMES.get(type) ?? 'UNKNOWN',
  };
  if ((type === ControlRecordType.ABORT || type === ControlRecordType.COMMIT) && value !== null) {
    if (value.length >= 6) control.coordinatorEpoch = value.readInt32BE(2);
  }
  return control;
}

/** Key and value of a transaction marker, to encode with `isControl: true`. */
export function endTransactionMarker(
  type: 'ABORT' | 'COMMIT',
  coordinatorEpoch: number,
): { key: Buffer; value: Buffer } {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(ControlRecordType[type], 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return { key, value };
}
