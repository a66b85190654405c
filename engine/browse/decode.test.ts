import { describe, expect, it } from 'vitest';
import { decodeField, detectEncoding, encodeField } from './decode';

describe('decodeField', () => {
  it('detects JSON objects and arrays, then UTF-8 text, else binary as base64', () => {
    expect(decodeField(Buffer.from('{"amount": 12.5}'))).toEqual({
      text: '{"amount": 12.5}',
      encoding: 'json',
      size: 16,
      truncated: false,
    });
    expect(decodeField(Buffer.from(' [1,2]\n')).encoding).toBe('json');
    expect(decodeField(Buffer.from('héllo wörld')).encoding).toBe('utf8');
    // A key like 42 or "eu" is text, not JSON, unless JSON is forced.
    expect(decodeField(Buffer.from('42')).encoding).toBe('utf8');
    expect(decodeField(Buffer.from('42'), 'json').encoding).toBe('json');
    expect(decodeField(Buffer.from('{not json')).encoding).toBe('utf8');
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x01]);
    expect(decodeField(binary)).toMatchObject({ text: '//4AAQ==', encoding: 'base64', size: 4 });
    expect(decodeField(binary, 'hex').text).toBe('fffe0001');
  });

  it('treats valid UTF-8 with control characters as binary, but keeps tabs and newlines as text', () => {
    expect(detectEncoding(Buffer.from('a\u0000b'))).toBe('base64');
    expect(detectEncoding(Buffer.from('\u0007bell'))).toBe('base64');
    expect(detectEncoding(Buffer.from('line 1\r\n\tline 2'))).toBe('utf8');
  });

  it('keeps HTML and script as plain text (it is data, never markup)', () => {
    const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    expect(decodeField(Buffer.from(html))).toMatchObject({ text: html, encoding: 'utf8' });
  });

  it('invalid UTF-8 falls back to base64 even when utf8 or json is forced', () => {
    const invalid = Buffer.from([0x61, 0xc3, 0x28]);
    expect(decodeField(invalid, 'utf8').encoding).toBe('base64');
    expect(decodeField(invalid, 'json').encoding).toBe('base64');
  });

  it('null stays null with size 0', () => {
    expect(decodeField(null)).toEqual({ text: null, encoding: 'utf8', size: 0, truncated: false });
  });

  it('cuts a long value to the preview, reports the full size, and never splits a character', () => {
    const value = Buffer.from('ab€cd'); // € is 3 bytes: a b [e2 82 ac] c d
    const cut = decodeField(value, 'auto', 4);
    expect(cut).toEqual({ text: 'ab', encoding: 'utf8', size: 7, truncated: true });
    expect(decodeField(value, 'auto', 5).text).toBe('ab€');
    const big = Buffer.alloc(10 * 1024 * 1024, 'x');
    const preview = decodeField(big, 'auto', 16 * 1024);
    expect(preview.text).toHaveLength(16 * 1024);
    expect(preview).toMatchObject({ size: 10 * 1024 * 1024, truncated: true });
    const binary = decodeField(Buffer.alloc(100, 0xff), 'auto', 3);
    expect(binary).toMatchObject({ text: '////', encoding: 'base64', truncated: true });
  });

  it('a truncated JSON value still says json (the whole value is JSON)', () => {
    const json = Buffer.from(JSON.stringify({ items: Array.from({ length: 1000 }, (_, i) => i) }));
    expect(decodeField(json, 'auto', 10)).toMatchObject({ encoding: 'json', truncated: true });
  });
});

describe('encodeField', () => {
  it('round-trips each encoding and refuses odd hex', () => {
    expect(encodeField('héllo', 'utf8')).toEqual(Buffer.from('héllo'));
    expect(encodeField('//4AAQ==', 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0, 1]));
    expect(encodeField('fffe', 'hex')).toEqual(Buffer.from([0xff, 0xfe]));
    expect(encodeField(null, 'utf8')).toBeNull();
    expect(() => encodeField('abc', 'hex')).toThrow(/hex/);
  });
});
