/**
 * Tests that damage a closed log behind its back, as a crash or a bad disk would, to see what
 * the next open makes of it.
 */
import { ClassicLevel } from 'classic-level';
import { DATABASE_OPTIONS } from '../database';
import { Prefix } from '../keys';

/** Flips one bit in the last byte of the last stored batch (its CRC then fails). */
export async function damageLastStoredBatch(dir: string): Promise<void> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, DATABASE_OPTIONS);
  try {
    const [[key, value]] = (await db
      .iterator({
        gte: Buffer.from([Prefix.batch]),
        lt: Buffer.from([Prefix.batch + 1]),
        reverse: true,
        limit: 1,
      })
      .all()) as [[Buffer, Buffer]];
    value[value.length - 1]! ^= 0x01;
    await db.put(key, value);
  } finally {
    await db.close();
  }
}
