/**
 * One message per line of JSON (JSON Lines) — the export format and the import format — and
 * CSV rows. Bytes are written exactly: UTF-8 text as it is, anything else as base64, with the
 * encoding named next to the field, so that an import reproduces the bytes that were exported.
 */
import { isUtf8 } from 'node:buffer';
import { ExportField } from '../api/transfer';
import type { RawHeader, RawRecord } from '../browse/record';

export type FieldEncoding = 'utf8' | 'base64' | 'hex';

export interface ExportedField {
  text: string | null;
  encoding: FieldEncoding;
}

/** Valid UTF-8 is kept as text (it decodes and re-encodes to the same bytes), else base64. */
export function exportField(bytes: Buffer | null): ExportedField {
  if (bytes === null) return { text: null, encoding: 'utf8' };
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), encoding: 'utf8' };
  return { text: bytes.toString('base64'), encoding: 'base64' };
}

export function toJsonLine(record: RawRecord): string {
  const key = exportField(record.key);
  const value = exportField(record.value);
  return JSON.stringify({
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: record.timestampType,
    key: key.text,
    keyEncoding: key.encoding,
    value: value.text,
    valueEncoding: value.encoding,
    headers: record.headers.map((h) => {
      const field = exportField(h.value);
      return { key: h.key, value: field.text, encoding: field.encoding };
    }),
  });
}

/** The columns an export can have, as the contract names them. */
export const CSV_FIELDS = ExportField.options;
export type CsvField = (typeof CSV_FIELDS)[number];

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvHeader(fields: readonly CsvField[]): string {
  return fields.join(',');
}

export function toCsvRow(record: RawRecord, fields: readonly CsvField[]): string {
  const key = exportField(record.key);
  const value = exportField(record.value);
  const cell = (field: CsvField): string | number | null => {
    switch (field) {
      case 'partition':
        return record.partition;
      case 'offset':
        return record.offset;
      case 'timestamp':
        return record.timestamp;
      case 'timestampType':
        return record.timestampType;
      case 'key':
        return key.text;
      case 'keyEncoding':
        return key.encoding;
      case 'value':
        return value.text;
      case 'valueEncoding':
        return value.encoding;
      case 'headers':
        return record.headers.length === 0
          ? null
          : JSON.stringify(
              record.headers.map((h) => {
                const f = exportField(h.value);
                return { key: h.key, value: f.text, encoding: f.encoding };
              }),
            );
    }
  };
  return fields.map((f) => csvCell(cell(f))).join(',');
}

/** A message read from an import line, ready to produce. */
export interface ImportRecord {
  partition: number | null;
  timestamp: number | null;
  key: Buffer | null;
  value: Buffer | null;
  headers: RawHeader[];
}

export type ParsedLine = { ok: true; record: ImportRecord } | { ok: false; problem: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function decodeText(
  text: unknown,
  encoding: unknown,
  what: string,
): { ok: true; bytes: Buffer | null } | { ok: false; problem: string } {
  if (text === null || text === undefined) return { ok: true, bytes: null };
  if (typeof text !== 'string') return { ok: false, problem: `${what} must be a string or null` };
  const name = encoding ?? 'utf8';
  switch (name) {
    case 'utf8':
    case 'json':
      return { ok: true, bytes: Buffer.from(text, 'utf8') };
    case 'base64':
      if (text.length % 4 !== 0 || !BASE64.test(text))
        return { ok: false, problem: `${what} is not valid base64` };
      return { ok: true, bytes: Buffer.from(text, 'base64') };
    case 'hex':
      if (!HEX.test(text)) return { ok: false, problem: `${what} is not valid hex` };
      return { ok: true, bytes: Buffer.from(text, 'hex') };
    default:
      return {
        ok: false,
        problem: `${what} has an unknown encoding ${JSON.stringify(name)} (utf8, base64 or hex)`,
      };
  }
}

const isIndex = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses and checks one line; `partitions` is the target topic's partition count. */
export function parseJsonLine(line: string, partitions: number): ParsedLine {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, problem: 'not a JSON object' };
  const o = data as Record<string, unknown>;
  let partition: number | null = null;
  if (o.partition !== undefined && o.partition !== null) {
    if (!isIndex(o.partition))
      return { ok: false, problem: 'partition must be a non-negative integer' };
    partition = o.partition as number;
    if (partition >= partitions)
      return {
        ok: false,
        problem: `partition ${partition} does not exist (the topic has ${partitions})`,
      };
  }
  let timestamp: number | null = null;
  if (o.timestamp !== undefined && o.timestamp !== null) {
    if (!isIndex(o.timestamp))
      return {
        ok: false,
        problem: 'timestamp must be a non-negative integer (ms since the epoch)',
      };
    timestamp = o.timestamp as number;
  }
  const key = decodeText(o.key, o.keyEncoding, 'key');
  if (!key.ok) return key;
  const value = decodeText(o.value, o.valueEncoding, 'value');
  if (!value.ok) return value;
  const headers: RawHeader[] = [];
  if (o.headers !== undefined && o.headers !== null) {
    if (!Array.isArray(o.headers)) return { ok: false, problem: 'headers must be an array' };
    for (const [i, h] of o.headers.entries()) {
      if (typeof h !== 'object' || h === null || typeof (h as { key?: unknown }).key !== 'string')
        return { ok: false, problem: `headers[${i}] must be an object with a string key` };
      const header = h as { key: string; value?: unknown; encoding?: unknown };
      const decoded = decodeText(header.value, header.encoding, `headers[${i}].value`);
      if (!decoded.ok) return decoded;
      headers.push({ key: header.key, value: decoded.bytes });
    }
  }
  return {
    ok: true,
    record: { partition, timestamp, key: key.bytes, value: value.bytes, headers },
  };
}
