/**
 * Export a range of a topic to a file (JSON Lines or CSV) and import JSON Lines into a topic,
 * both as jobs. An import is two steps: validate (reports every bad line, imports nothing and
 * returns the file's fingerprint), then confirm with that fingerprint.
 */
import { z } from 'zod';
import { SearchBound } from './messages';

export const ExportField = z.enum([
  'partition',
  'offset',
  'timestamp',
  'timestampType',
  'key',
  'keyEncoding',
  'value',
  'valueEncoding',
  'headers',
]);

const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path');

export const ExportInput = z.object({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  /**
   * The file to write (absolute); written as `<path>.part` and renamed when complete. Leave it
   * out to export for download: the engine writes into its data dir (kept for a day), and the
   * finished job's file is fetched with `POST /jobs/{job}/download`.
   */
  path: AbsolutePath.optional(),
  /** Replace an existing file. */
  overwrite: z.boolean().default(false),
  /** Partitions to export; all when left out. */
  partitions: z.array(z.number().int().min(0)).min(1).optional(),
  from: SearchBound.default({ position: 'earliest' }),
  /** Exclusive; default: the high watermarks when the export starts. */
  to: SearchBound.default({ position: 'latest' }),
  /** A browse filter expression: only matching messages are written. */
  filter: z.string().max(2000).optional(),
  /** CSV columns, in order. */
  fields: z
    .array(ExportField)
    .min(1)
    .default(['partition', 'offset', 'timestamp', 'key', 'value', 'headers']),
});
export type ExportInput = z.infer<typeof ExportInput>;

/** An export job's `result`. */
export const ExportResult = z.object({
  path: z.string(),
  format: z.enum(['jsonl', 'csv']),
  /** Messages written. */
  messages: z.number().int(),
  /** Messages read (written or filtered out). */
  scanned: z.number().int(),
  bytes: z.number().int(),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const ImportInput = z.object({
  /** A JSON Lines file (absolute path). */
  path: AbsolutePath,
  /** Leave out to validate only; pass the validation's fingerprint to import. */
  confirm: z.object({ fingerprint: z.string().min(1) }).optional(),
  /** keep: each line's partition (by key when a line has none); key: the default partitioner. */
  partitioning: z.enum(['keep', 'key']).default('keep'),
  /** Keep each line's timestamp (else the broker's time at import). */
  keepTimestamps: z.boolean().default(true),
  /** With `confirm`: import the valid lines of a file that has bad ones (else nothing). */
  skipInvalid: z.boolean().default(false),
});
export type ImportInput = z.infer<typeof ImportInput>;

export const ImportProblem = z.object({ line: z.number().int(), problem: z.string() });

/** An import job's `result` (validation and import alike). */
export const ImportResult = z.object({
  path: z.string(),
  /** sha256 and size of the file as validated: what `confirm` must name. */
  fingerprint: z.string(),
  /** Lines with a message (blank lines are not counted). */
  lines: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** The first 1000 problems, in line order. */
  problems: z.array(ImportProblem),
  /** Messages produced (0 for a validation). */
  imported: z.number().int(),
  validatedOnly: z.boolean(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** A one-time link to a finished export's file (see engine/http/fileTransfer.ts). */
export const DownloadTicket = z.object({
  /** Below the engine's origin; works once, until `expiresAt`, without the bearer token. */
  url: z.string(),
  fileName: z.string(),
  bytes: z.number().int(),
  expiresAt: z.number(),
});
export type DownloadTicket = z.infer<typeof DownloadTicket>;

/** The answer to `POST /api/v1/uploads?name=…` (the body is the file): where the engine put it. */
export const UploadResult = z.object({
  path: z.string(),
  fileName: z.string(),
  bytes: z.number().int(),
});
export type UploadResult = z.infer<typeof UploadResult>;
