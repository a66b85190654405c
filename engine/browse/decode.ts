/**
 * Turns the bytes of a key, value or header into text with a declared encoding: JSON, then
 * UTF-8 text, else binary (base64, or hex on request). Never markup: the UI renders the text as
 * text. A value longer than the preview limit is cut, and says so, with its full size.
 */
import { isUtf8 } from 'node:buffer';
import type { Encoding } from '../api';

export type DecodeAs = 'auto' | Encoding;

export interface Decoded {
  text: string | null;
  encoding: Encoding;
  /** Size of the whole field in bytes. */
  size: number;
  /** True when `text` holds only the first `previewBytes` of the field. */
  truncated: boolean;
}

/** Values at most this large are parsed whole to detect JSON; larger ones by their edges. */
const JSON_DETECT_LIMIT = 4 * 1024 * 1024;

/**
 * C0 control characters other than tab, line feed and carriage return: text that holds them
 * is almost always binary that happens to be valid UTF-8 (varints, length prefixes).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** How bytes look when decoded with `auto`: the encoding detection would choose. */
export function detectEncoding(bytes: Buffer): Encoding {
  if (!isUtf8(bytes)) return 'base64';
  const text = bytes.toString('utf8');
  if (CONTROL.test(text)) return 'base64';
  return looksLikeJson(text, bytes.length) ? 'json' : 'utf8';
}

/**
 * Auto-detection calls only objects and arrays JSON: a key `42` or `"eu"` is better shown as
 * the text it is. A forced `json` accepts any JSON value.
 */
function looksLikeJson(text: string, size: number): boolean {
  const first = firstNonSpace(text);
  if (first !== '{' && first !== '[') return false;
  if (size > JSON_DETECT_LIMIT) {
    const last = text.trimEnd().at(-1);
    return (first === '{' && last === '}') || (first === '[' && last === ']');
  }
  return parsesAsJson(text);
}

function firstNonSpace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== ' ' && ch !== '\n' && ch !== '\r' && ch !== '\t') return ch;
  }
  return undefined;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The encoding a field gets under `as`: a forced text encoding the bytes do not fit falls back. */
function chooseEncoding(bytes: Buffer, as: DecodeAs): Encoding {
  switch (as) {
    case 'auto':
      return detectEncoding(bytes);
    case 'base64':
    case 'hex':
      return as;
    case 'utf8':
      return isUtf8(bytes) ? 'utf8' : 'base64';
    case 'json': {
      if (!isUtf8(bytes)) return 'base64';
      const text = bytes.toString('utf8');
      return parsesAsJson(text) ? 'json' : detectEncoding(bytes);
    }
  }
}

/**
 * Decodes one field. `previewBytes` 0 means whole. Text previews are cut at a character
 * boundary at or below the limit; binary previews at the byte limit.
 */
export function decodeField(
  bytes: Buffer | null,
  as: DecodeAs = 'auto',
  previewBytes = 0,
): Decoded {
  if (bytes === null) return { text: null, encoding: 'utf8', size: 0, truncated: false };
  const size = bytes.length;
  const encoding = chooseEncoding(bytes, as);
  const truncated = previewBytes > 0 && size > previewBytes;
  const shown = truncated ? bytes.subarray(0, previewBytes) : bytes;
  switch (encoding) {
    case 'json':
    case 'utf8':
      return { text: utf8Prefix(shown, truncated), encoding, size, truncated };
    case 'base64':
      return { text: shown.toString('base64'), encoding, size, truncated };
    case 'hex':
      return { text: shown.toString('hex'), encoding, size, truncated };
  }
}

/** UTF-8 text of `bytes`, dropping a character the cut split in two. */
function utf8Prefix(bytes: Buffer, cut: boolean): string {
  if (!cut) return bytes.toString('utf8');
  let end = bytes.length;
  // Step back over continuation bytes (10xxxxxx) to the start of the last character, and drop
  // that character if it does not fit whole.
  let start = end - 1;
  while (start > 0 && start > end - 4 && (bytes[start]! & 0xc0) === 0x80) start--;
  const lead = bytes[start]!;
  const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (start + length > end) end = start;
  return bytes.toString('utf8', 0, end);
}

/**
 * What a filter sees of a field: the parsed JSON value when the field is a JSON object or
 * array, else its text (base64 for binary). Parses once, unlike decoding and then parsing.
 */
export function fieldData(bytes: Buffer | null): unknown {
  if (bytes === null) return null;
  if (!isUtf8(bytes)) return bytes.toString('base64');
  const text = bytes.toString('utf8');
  if (CONTROL.test(text)) return bytes.toString('base64');
  const first = firstNonSpace(text);
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Bytes from text given in an encoding (produce, and the filter's comparisons). */
export function encodeField(text: string | null, encoding: Encoding): Buffer | null {
  if (text === null) return null;
  switch (encoding) {
    case 'json':
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'base64':
      return Buffer.from(text, 'base64');
    case 'hex':
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(text))
        throw new RangeError('not an even number of hex digits');
      return Buffer.from(text, 'hex');
  }
}
