/**
 * A record as read from a partition (bytes, not yet decoded), and its conversion into the API's
 * `Message`. Every reader (a Kafka cluster through kafkajs, later offline files) yields these.
 */
import type { Message } from '../api';
import { internalRecordView, isDecodedInternalTopic } from '../sources/offline/internalTopics';
import { decodeField, type DecodeAs } from './decode';

export interface RawHeader {
  key: string;
  value: Buffer | null;
}

export interface RawRecord {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: Buffer | null;
  value: Buffer | null;
  headers: RawHeader[];
}

export interface DecodeOptions {
  keyAs: DecodeAs;
  valueAs: DecodeAs;
  /** Cut values longer than this in bytes; 0 keeps them whole. */
  previewBytes: number;
}

export const WHOLE: DecodeOptions = { keyAs: 'auto', valueAs: 'auto', previewBytes: 0 };

export function recordSize(record: RawRecord): number {
  let size = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers) {
    size += Buffer.byteLength(header.key) + (header.value?.length ?? 0);
  }
  return size;
}

/**
 * `topic` names the record's topic where its internal records should be decoded too
 * (`__consumer_offsets`, `__cluster_metadata`): the message then carries `internal`.
 */
export function toMessage(record: RawRecord, options: DecodeOptions, topic?: string): Message {
  // Keys are identifiers, shown whole: a key too large to show is not a realistic case, and a
  // cut key would make "copy key" wrong.
  const key = decodeField(record.key, options.keyAs);
  const internal =
    topic !== undefined && isDecodedInternalTopic(topic)
      ? internalRecordView(topic, record.key, record.value)
      : null;
  // A value holding credentials is not sent at all; `internal` shows their lengths.
  const value = decodeField(
    internal?.redacted ? null : record.value,
    options.valueAs,
    options.previewBytes,
  );
  return {
    ...(internal ? { internal } : {}),
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: record.timestampType,
    key: key.text,
    keyEncoding: key.encoding,
    value: value.text,
    valueEncoding: value.encoding,
    // The size of what is stored, also when it is withheld.
    valueSize: internal?.redacted ? (record.value?.length ?? 0) : value.size,
    valueTruncated: value.truncated,
    headers: record.headers.map((header) => {
      const decoded = decodeField(header.value, 'auto');
      return { key: header.key, value: decoded.text, encoding: decoded.encoding };
    }),
    size: recordSize(record),
  };
}
