import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OfflineClusterInput } from '../../api/clusters';
import { expandHome } from './detectPath';

describe('paths typed into "Open Kafka files"', () => {
  it('reads ~ as the home folder, as a shell would', () => {
    expect(expandHome('~')).toBe(homedir());
    expect(expandHome('~/kafka-logs')).toBe(join(homedir(), 'kafka-logs'));
    expect(expandHome('/data/~/x')).toBe('/data/~/x');
    expect(expandHome('~other/x')).toBe('~other/x');
  });

  it('accepts full paths and refuses relative ones', () => {
    const accepts = (path: string) =>
      OfflineClusterInput.safeParse({ kind: 'offline', path }).success;
    for (const path of [
      '/var/lib/kafka',
      '~/copy',
      '~',
      'C:\\kafka\\logs',
      'D:/logs',
      '\\\\nas\\kafka',
    ])
      expect(accepts(path), path).toBe(true);
    for (const path of ['kafka-logs', './kafka-logs', '../x', '~other/x'])
      expect(accepts(path), path).toBe(false);
  });
});
