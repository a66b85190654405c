import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpLines } from './testing/dumpLines';
import { KCAT_VALUES, writeFixtureLogDir } from './testing/kafkaDirFixture';

let root: string;
let fixture: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logscope-dump-test-'));
  fixture = join(root, 'kafka-logs');
  await writeFixtureLogDir(fixture);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const dump = dumpLines;

describe('logscope dump', () => {
  it('prints every batch and record of a segment file as JSON lines', async () => {
    const { code, lines } = await dump(join(fixture, 'events-0', '00000000000000000000.log'));
    expect(code).toBe(0);
    const batches = lines.filter((l) => l.type === 'batch');
    expect(batches.map((b) => b.compression)).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    const records = lines.filter((l) => l.type === 'record');
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(records[0]).toMatchObject({
      key: 'user-1',
      value: KCAT_VALUES[0],
      valueEncoding: 'utf8',
    });
    expect(records[0]!.headers).toEqual([
      { key: 'trace', text: 'abc123', encoding: 'utf8' },
      { key: 'ünïcode', text: 'välue', encoding: 'utf8' },
    ]);
    expect(records[2]).toMatchObject({ key: 'bin', value: KCAT_VALUES[2] });
  });

  it('--records with --from-offset and --to-offset over a log directory; --offsets-only; --batches', async () => {
    const ranged = await dump(fixture, '--records', '--from-offset', '23', '--to-offset', '40');
    const events0 = ranged.lines.filter((l) => l.topic === 'events' && l.partition === 0);
    expect(events0.map((l) => l.offset)).toEqual(Array.from({ length: 18 }, (_, i) => 23 + i));
    expect(ranged.lines.every((l) => l.type === 'record')).toBe(true);
    const offsets = await dump(join(fixture, 'events-1'), '--offsets-only');
    expect(offsets.lines).toHaveLength(7);
    expect(Object.keys(offsets.lines[0]!).sort()).toEqual(['offset', 'timestamp', 'type']);
    const batches = await dump(join(fixture, 'events-0'), '--batches');
    expect(batches.lines).toHaveLength(65);
    expect(batches.lines.every((l) => l.type === 'batch')).toBe(true);
  });

  it('--validate: a summary, and exit 1 with the damage (file, position, offset) on a damaged copy', async () => {
    const clean = await dump(fixture, '--validate');
    const entries = (await dump(fixture, '--batches')).lines.length;
    expect(clean.code).toBe(0);
    expect(clean.lines).toEqual([
      expect.objectContaining({
        type: 'summary',
        valid: true,
        damage: 0,
        batches: entries,
        records: 625 + 7 + 3,
      }),
    ]);
    const copy = join(root, 'damaged');
    await cp(fixture, copy, { recursive: true });
    const path = join(copy, 'events-0', '00000000000000000000.log');
    const bytes = await readFile(path);
    bytes[80] = bytes[80]! ^ 0x01;
    await writeFile(path, bytes);
    const damaged = await dump(copy, '--validate');
    expect(damaged.code).toBe(1);
    expect(damaged.lines).toEqual([
      expect.objectContaining({
        type: 'damage',
        file: 'events-0/00000000000000000000.log',
        position: 0,
        offset: 0,
        kind: 'CRC_MISMATCH',
      }),
      expect.objectContaining({ type: 'summary', valid: false, damage: 1 }),
    ]);
  });

  it('reads and reports only the segments and damage an offset range can touch', async () => {
    const copy = join(root, 'damaged-late');
    await cp(fixture, copy, { recursive: true });
    const segment = join(copy, 'events-0', '00000000000000000000.log');
    const batches = (await dump(segment, '--batches')).lines;
    const late = batches.find((b) => (b.baseOffset as number) > 10) as {
      baseOffset: number;
      position: number;
    };
    const bytes = await readFile(segment);
    bytes[late.position + 80] = bytes[late.position + 80]! ^ 0x01;
    await writeFile(segment, bytes);
    // The whole segment reports the damage; a range ending before the damaged batch does not.
    const whole = await dump(segment, '--validate');
    expect(whole.lines.filter((l) => l.type === 'damage')).toEqual([
      expect.objectContaining({ offset: late.baseOffset, kind: 'CRC_MISMATCH' }),
    ]);
    const early = await dump(segment, '--validate', '--to-offset', String(late.baseOffset - 1));
    expect(early.code).toBe(0);
    expect(early.lines).toEqual([expect.objectContaining({ type: 'summary', damage: 0 })]);
    // Segments wholly outside the range are not even opened: events-0 has several.
    const all = (await dump(join(copy, 'events-0'), '--validate')).lines.at(-1)!;
    const first = (await dump(join(copy, 'events-0'), '--validate', '--to-offset', '0')).lines.at(
      -1,
    )!;
    expect(first.files).toBe(1);
    expect(all.files as number).toBeGreaterThan(1);
  });

  it('says what is wrong with a path it cannot dump', async () => {
    const missing = await dump(join(root, 'nothing-here'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    const usage = await dump();
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: logscope dump PATH/);
  });
});
