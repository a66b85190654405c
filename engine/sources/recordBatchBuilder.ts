/**
 * Builds one Kafka record batch (magic 2, uncompressed) a record at a time, writing each record
 * straight into a growing buffer: no object per record and no second pass, which is what a bulk
 * producer (replay, import) spends its time on otherwise. The batch header — idempotence fields
 * included — is filled in when the batch is finished.
 *
 * Timestamps are numbers (milliseconds fit a double exactly); deltas that do not fit 32 bits
 * fall back to the bigint varlong of broker/protocol.
 */
import { crc32c } from '../../broker/protocol/records/crc32c';
import { RECORD_BATCH_HEADER_SIZE } from '../../broker/protocol/records/recordBatchHeader';
import { varintSize, varlongSize, writeVarint, writeVarlong } from '../../broker/protocol/varint';

/** What a produced record carries; header values may be null (Kafka allows it). */
export interface ProducerRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly { key: string; value: Buffer | null }[];
  timestamp: number;
}

/** The idempotence fields of a batch: who sends it and where it sits in the partition's sequence. */
export interface BatchIdentity {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
}

const INT32 = 0x7fffffff;

function bytesFieldSize(bytes: Buffer | null): number {
  return bytes === null ? 1 : varintSize(bytes.length) + bytes.length;
}

function fitsInt32(n: number): boolean {
  return n >= -INT32 - 1 && n <= INT32;
}

export class RecordBatchBuilder {
  private buffer: Buffer;
  /** Write position; the header's room is kept at the start. */
  private position = RECORD_BATCH_HEADER_SIZE;
  private baseTimestamp = 0;
  private maxTimestamp = 0;
  count = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, RECORD_BATCH_HEADER_SIZE + 64));
  }

  /** Bytes the batch takes so far, header included. */
  get size(): number {
    return this.position;
  }

  add(record: ProducerRecord): void {
    if (this.count === 0) this.baseTimestamp = this.maxTimestamp = record.timestamp;
    else if (record.timestamp > this.maxTimestamp) this.maxTimestamp = record.timestamp;
    const delta = record.timestamp - this.baseTimestamp;
    const offsetDelta = this.count;
    const deltaSize = fitsInt32(delta) ? varintSize(delta) : varlongSize(BigInt(delta));
    let body =
      1 +
      deltaSize +
      varintSize(offsetDelta) +
      bytesFieldSize(record.key) +
      bytesFieldSize(record.value) +
      varintSize(record.headers.length);
    for (const header of record.headers) {
      const keyLength = Buffer.byteLength(header.key);
      body += varintSize(keyLength) + keyLength + bytesFieldSize(header.value);
    }
    this.reserve(varintSize(body) + body);
    const target = this.buffer;
    let p = writeVarint(target, this.position, body);
    target[p++] = 0; // record attributes: none defined
    p = fitsInt32(delta) ? writeVarint(target, p, delta) : writeVarlong(target, p, BigInt(delta));
    p = writeVarint(target, p, offsetDelta);
    p = writeBytes(target, p, record.key);
    p = writeBytes(target, p, record.value);
    p = writeVarint(target, p, record.headers.length);
    for (const header of record.headers) {
      const keyLength = Buffer.byteLength(header.key);
      p = writeVarint(target, p, keyLength);
      p += target.write(header.key, p, 'utf8');
      p = writeBytes(target, p, header.value);
    }
    this.position = p;
    this.count++;
  }

  /**
   * Fills in the header and returns the batch's bytes (a view of this builder's buffer: the
   * builder must not be used afterwards).
   */
  finish(identity: BatchIdentity): Buffer {
    const b = this.buffer;
    b.writeBigInt64BE(0n, 0); // baseOffset: the broker assigns it
    b.writeInt32BE(this.position - 12, 8); // batchLength: after baseOffset and itself
    b.writeInt32BE(-1, 12); // partitionLeaderEpoch
    b.writeInt8(2, 16); // magic
    b.writeInt16BE(0, 21); // attributes: no compression, CreateTime, not transactional
    b.writeInt32BE(this.count - 1, 23); // lastOffsetDelta
    b.writeBigInt64BE(BigInt(this.baseTimestamp), 27);
    b.writeBigInt64BE(BigInt(this.maxTimestamp), 35);
    b.writeBigInt64BE(identity.producerId, 43);
    b.writeInt16BE(identity.producerEpoch, 51);
    b.writeInt32BE(identity.baseSequence, 53);
    b.writeInt32BE(this.count, 57);
    // The CRC covers everything from the attributes on.
    b.writeUInt32BE(crc32c(b, 21, this.position), 17);
    return b.subarray(0, this.position);
  }

  private reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }
}

function writeBytes(target: Buffer, p: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(target, p, -1);
  p = writeVarint(target, p, bytes.length);
  bytes.copy(target, p);
  return p + bytes.length;
}
