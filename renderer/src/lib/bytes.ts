/**
 * Message content as bytes and as a hex dump. Content arrives as text with a declared encoding
 * (`json`/`utf8` text, `base64`/`hex` binary); these turn it into bytes without ever treating
 * it as markup, and cut the work to what is shown so a 10 MB value cannot freeze the window.
 */
import type { Encoding } from '../../../engine/api';

/** Bytes of an encoded value, at most `limit` of them (binary encodings are decoded lazily). */
export function contentBytes(text: string, encoding: Encoding, limit = Infinity): Uint8Array {
  if (encoding === 'base64') {
    // 4 base64 characters carry 3 bytes: decode only the prefix that covers `limit`.
    const chars = Number.isFinite(limit) ? Math.ceil(limit / 3) * 4 : text.length;
    const binary = atob(text.slice(0, chars));
    const bytes = new Uint8Array(Math.min(binary.length, limit));
    for (let i = 0; i < bytes.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  if (encoding === 'hex') {
    const clean = text.replace(/\s+/g, '');
    const length = Math.min(Math.floor(clean.length / 2), limit);
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  }
  // UTF-8 text: a character is at most 3 UTF-8 bytes per UTF-16 unit.
  const prefix = Number.isFinite(limit) ? text.slice(0, limit) : text;
  const bytes = new TextEncoder().encode(prefix);
  return bytes.length > limit ? bytes.subarray(0, limit) : bytes;
}

/** One line of a hex dump: offset, 16 bytes in hex, and their printable ASCII. */
export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

export function hexDump(bytes: Uint8Array, startOffset = 0): HexLine[] {
  const lines: HexLine[] = [];
  for (let start = 0; start < bytes.length; start += 16) {
    const row = bytes.subarray(start, start + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const byte = row[i];
      hex += byte === undefined ? '   ' : `${byte.toString(16).padStart(2, '0')} `;
      if (i === 7) hex += ' ';
      if (byte !== undefined)
        ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push({
      offset: (startOffset + start).toString(16).padStart(8, '0'),
      hex: hex.trimEnd(),
      ascii,
    });
  }
  return lines;
}

/**
 * A one-line preview of a key or value for a table cell: text with whitespace folded, binary
 * as hex. Never longer than `max` characters, whatever the size of the content.
 */
export function previewText(
  text: string | null,
  encoding: Encoding,
  max = 160,
): { text: string; kind: 'null' | 'text' | 'binary' } {
  if (text === null) return { text: 'null', kind: 'null' };
  if (encoding === 'base64' || encoding === 'hex') {
    const bytes = contentBytes(text, encoding, Math.ceil(max / 3));
    let hex = '';
    for (const byte of bytes) hex += `${byte.toString(16).padStart(2, '0')} `;
    return { text: hex.trimEnd().slice(0, max), kind: 'binary' };
  }
  const head = text.slice(0, max * 2).replace(/\s+/g, ' ');
  return { text: head.length > max ? `${head.slice(0, max - 1)}…` : head, kind: 'text' };
}
