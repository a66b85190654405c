import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingLog } from './rotatingLog';

const now = () => new Date('2025-01-02T03:04:05.000Z');

describe('RotatingLog', () => {
  it('timestamps each line and rotates by size, keeping the newest files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logscope-log-'));
    // Each line is 24 (timestamp + space) + 6 + 1 = 31 bytes; two fit in 70.
    const log = new RotatingLog({ dir, name: 'broker', maxBytes: 70, keep: 2, now });
    for (let line = 1; line <= 9; line++) log.write(`line ${line}`);
    log.close();
    expect(readdirSync(dir).sort()).toEqual(['broker.1.log', 'broker.2.log', 'broker.log']);
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    expect(read('broker.log')).toBe('2025-01-02T03:04:05.000Z line 9\n');
    expect(read('broker.1.log')).toBe(
      '2025-01-02T03:04:05.000Z line 7\n2025-01-02T03:04:05.000Z line 8\n',
    );
    expect(read('broker.2.log')).toContain('line 5');
  });

  it('appends to the file an earlier run left, counting its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logscope-log-'));
    const first = new RotatingLog({ dir, name: 'main', maxBytes: 70, now });
    first.write('first');
    first.close();
    const second = new RotatingLog({ dir, name: 'main', maxBytes: 70, now });
    second.write('again');
    second.write('third');
    second.close();
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toBe(
      '2025-01-02T03:04:05.000Z first\n2025-01-02T03:04:05.000Z again\n',
    );
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toBe('2025-01-02T03:04:05.000Z third\n');
  });
});
