/**
 * Messages as the engine hands them to the UI: key, value and header values as text with a
 * declared encoding — never as markup. Large values are cut to a preview with their full size.
 */
import { z } from 'zod';
import { PartitionParams } from './topics';

/** `json` and `utf8` are text; `base64` is binary; `hex` on request. */
export const Encoding = z.enum(['json', 'utf8', 'base64', 'hex']);
export type Encoding = z.infer<typeof Encoding>;
/** How to decode a topic's keys or values: detect (JSON, else UTF-8 text, else binary) or force. */
export const DecodeAs = z.enum(['auto', 'json', 'utf8', 'base64', 'hex']);

export const MessageHeader = z.object({
  key: z.string(),
  value: z.string().nullable(),
  encoding: Encoding,
});

/**
 * A record of one of Kafka's internal topics (`__consumer_offsets`, `__cluster_metadata`)
 * decoded: its type and fields (`decoded.kind`, and for KRaft records `typeName`, `version`,
 * `fields`), and a one-line summary. `redacted`: the raw value holds credentials (SCRAM keys)
 * and is not sent (`value` is null); the decoded form shows their lengths.
 */
export const InternalRecordView = z.object({
  summary: z.string(),
  decoded: z.object({ kind: z.string() }).catchall(z.unknown()),
  redacted: z.boolean(),
});

export const Message = z.object({
  partition: z.number().int(),
  offset: z.number(),
  timestamp: z.number(),
  timestampType: z.enum(['CreateTime', 'LogAppendTime']),
  key: z.string().nullable(),
  keyEncoding: Encoding,
  value: z.string().nullable(),
  valueEncoding: Encoding,
  /** Size of the value in bytes (the whole value, also when `valueTruncated`). */
  valueSize: z.number().int(),
  /** True when `value` holds only a preview; fetch the message alone to get all of it. */
  valueTruncated: z.boolean(),
  headers: z.array(MessageHeader),
  /** Bytes of key + value + headers. */
  size: z.number().int(),
  internal: InternalRecordView.optional(),
});
export type Message = z.infer<typeof Message>;

export const MessagesQuery = z.object({
  /** One partition; without it, all partitions merged by timestamp. */
  partition: z.coerce.number().int().min(0).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  /** Milliseconds since the epoch: the first message at or after it. */
  timestamp: z.coerce.number().int().min(0).optional(),
  position: z.enum(['earliest', 'latest']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  direction: z.enum(['forward', 'backward']).default('forward'),
  /** A filter expression over key, value, headers, timestamp, partition, offset. */
  filter: z.string().max(2000).optional(),
  /** An opaque cursor from a previous page (`next` or `previous`). */
  cursor: z.string().max(100_000).optional(),
  keyAs: DecodeAs.default('auto'),
  valueAs: DecodeAs.default('auto'),
  /** Preview limit for values in bytes; `0` returns values whole. */
  previewBytes: z.coerce
    .number()
    .int()
    .min(0)
    .max(64 * 1024 * 1024)
    .default(16 * 1024),
});
export type MessagesQuery = z.infer<typeof MessagesQuery>;

export const MessagePage = z.object({
  /** In reading order: ascending forward, descending backward (newest first). */
  messages: z.array(Message),
  /** Cursor for the page after this one in the same direction; null at the end. */
  next: z.string().nullable(),
  /** Cursor for the page before this one; null at the start. */
  previous: z.string().nullable(),
  /** Messages read to fill the page (more than returned when a filter dropped some). */
  scanned: z.number().int(),
  /**
   * True when a filtered page stopped at the engine's scan budget before it had `limit`
   * matches: follow `next` to keep looking, or run a search job over the range.
   */
  incomplete: z.boolean().optional(),
});
export type MessagePage = z.infer<typeof MessagePage>;

/** One message, by partition and offset: `GET …/partitions/{partition}/messages/{offset}`. */
export const MessageParams = PartitionParams.extend({ offset: z.coerce.number().int().min(0) });

/** Decoding of a single message; its value is always returned whole. */
export const MessageQuery = z.object({
  keyAs: DecodeAs.default('auto'),
  valueAs: DecodeAs.default('auto'),
});

/** Where a search starts or stops: an offset (every partition), a time, or an end of the log. */
export const SearchBound = z.union([
  z.object({ offset: z.number().int().min(0) }),
  z.object({ timestamp: z.number().int().min(0) }),
  z.object({ position: z.enum(['earliest', 'latest']) }),
]);
export type SearchBound = z.infer<typeof SearchBound>;

/** A filtered search over a range of a topic, run as a job (`POST …/topics/{topic}/search`). */
export const SearchInput = z.object({
  filter: z.string().min(1).max(2000),
  /** One partition; without it, all partitions. */
  partition: z.number().int().min(0).optional(),
  from: SearchBound.default({ position: 'earliest' }),
  /** Exclusive; default: the high watermarks when the search starts. */
  to: SearchBound.default({ position: 'latest' }),
  /** The search stops after this many matches. */
  maxResults: z.number().int().min(1).max(10_000).default(500),
  keyAs: DecodeAs.default('auto'),
  valueAs: DecodeAs.default('auto'),
  previewBytes: z
    .number()
    .int()
    .min(0)
    .max(1024 * 1024)
    .default(4 * 1024),
});
export type SearchInput = z.infer<typeof SearchInput>;

/** A search job's `result` (jobs of kind `search`). */
export const SearchResult = z.object({
  /** Matches in merged timestamp order, at most `maxResults`. */
  messages: z.array(Message),
  /** Messages read. */
  scanned: z.number().int(),
  /** False when the search stopped at `maxResults` before the end of the range. */
  complete: z.boolean(),
  /** A forward cursor to page on from where the search stopped (`GET …/messages?cursor=`). */
  next: z.string().nullable(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const ProduceInput = z.object({
  partition: z.number().int().min(0).optional(),
  key: z.string().nullable().default(null),
  value: z.string().nullable().default(null),
  /** How `key` and `value` are given: text (utf8/json) or binary (base64/hex). */
  keyEncoding: Encoding.default('utf8'),
  valueEncoding: Encoding.default('utf8'),
  headers: z
    .array(
      z.object({
        key: z.string(),
        value: z.string().nullable(),
        encoding: Encoding.default('utf8'),
      }),
    )
    .default([]),
});

export const ProduceResult = z.object({
  partition: z.number().int(),
  offset: z.number(),
  timestamp: z.number().nullable(),
});
export type ProduceResult = z.infer<typeof ProduceResult>;

/** Parameters of the WebSocket `tail` stream. */
export const TailParams = z.object({
  cluster: z.string(),
  topic: z.string(),
  partition: z.number().int().min(0).optional(),
  filter: z.string().max(2000).optional(),
  /** The most messages per second the UI wants; the rest are counted as dropped. */
  maxPerSecond: z.number().int().min(1).max(10_000).default(50),
  previewBytes: z
    .number()
    .int()
    .min(0)
    .max(1024 * 1024)
    .default(16 * 1024),
  keyAs: DecodeAs.default('auto'),
  valueAs: DecodeAs.default('auto'),
});
export type TailParams = z.infer<typeof TailParams>;

/** One event of the `tail` stream. */
export const TailEvent = z.object({
  messages: z.array(Message),
  /** Messages that arrived but were not sent, since the previous event, to stay within the rate. */
  dropped: z.number().int(),
});
export type TailEvent = z.infer<typeof TailEvent>;
