import { describe, expect, it } from 'vitest';
import { contentBytes, hexDump, previewText } from './bytes';

describe('contentBytes', () => {
  it('decodes base64 only up to the limit', () => {
    const text = btoa(String.fromCharCode(...Array.from({ length: 1000 }, (_, i) => i % 256)));
    expect(Array.from(contentBytes(text, 'base64', 5))).toEqual([0, 1, 2, 3, 4]);
    expect(contentBytes(text, 'base64').length).toBe(1000);
  });
  it('encodes text as UTF-8', () => {
    expect(Array.from(contentBytes('é<', 'utf8'))).toEqual([0xc3, 0xa9, 0x3c]);
  });
  it('reads hex', () => {
    expect(Array.from(contentBytes('ff00 7f', 'hex'))).toEqual([255, 0, 127]);
  });
});

describe('hexDump', () => {
  it('prints 16 bytes a line with offsets and printable ASCII', () => {
    const lines = hexDump(new TextEncoder().encode('<script>alert(1)</script>'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      offset: '00000000',
      hex: '3c 73 63 72 69 70 74 3e  61 6c 65 72 74 28 31 29',
      ascii: '<script>alert(1)',
    });
    expect(lines[1]!.offset).toBe('00000010');
    expect(lines[1]!.ascii).toBe('</script>');
  });
  it('shows non-printable bytes as dots', () => {
    expect(hexDump(Uint8Array.of(0, 0x41, 0xff))[0]!.ascii).toBe('.A.');
  });
});

describe('previewText', () => {
  it('folds whitespace and cuts long text', () => {
    const preview = previewText(`{\n  "a": "${'x'.repeat(500)}"\n}`, 'json', 20);
    expect(preview.text).toHaveLength(20);
    expect(preview.text.startsWith('{ "a": ')).toBe(true);
  });
  it('shows binary as hex and null as null', () => {
    expect(previewText(btoa('\xde\xad'), 'base64')).toEqual({
      text: 'de ad',
      kind: 'binary',
    });
    expect(previewText(null, 'utf8').kind).toBe('null');
  });
});
