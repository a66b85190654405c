/**
 * Page cursors: opaque to the UI, plain to the engine. A cursor holds the direction and, per
 * partition, where the next page starts: for `forward` the next offset to read, for `backward`
 * the offset the page ends before (exclusive). It is base64url JSON, so it survives a URL.
 */
import { z } from 'zod';

export type Direction = 'forward' | 'backward';

export interface Cursor {
  direction: Direction;
  /** partition → offset (forward: next to read; backward: exclusive upper bound). */
  positions: Map<number, number>;
}

const Wire = z.object({
  v: z.literal(1),
  d: z.enum(['f', 'b']),
  /** [partition, offset] pairs. */
  p: z
    .array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))
    .min(1)
    .max(100_000),
});

export class CursorError extends Error {
  override readonly name = 'CursorError';
}

export function encodeCursor(cursor: Cursor): string {
  const pairs = [...cursor.positions].sort((a, b) => a[0] - b[0]);
  const wire = { v: 1, d: cursor.direction === 'forward' ? 'f' : 'b', p: pairs };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('The cursor is not one this engine made: take it from a page.');
  }
  const parsed = Wire.safeParse(json);
  if (!parsed.success) {
    throw new CursorError('The cursor is not one this engine made: take it from a page.');
  }
  const positions = new Map<number, number>();
  for (const [partition, offset] of parsed.data.p) {
    if (positions.has(partition)) throw new CursorError('The cursor names a partition twice.');
    positions.set(partition, offset);
  }
  return { direction: parsed.data.d === 'f' ? 'forward' : 'backward', positions };
}
