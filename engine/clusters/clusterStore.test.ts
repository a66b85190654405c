import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterStore, LOCAL_CLUSTER_ID } from './clusterStore';

const local = () => ({ bootstrapServer: '127.0.0.1:9092', adminUrl: 'http://127.0.0.1:9644' });

describe('ClusterStore', () => {
  it('always lists the local broker first, and it cannot be removed', async () => {
    const store = await ClusterStore.open(await mkdtemp(join(tmpdir(), 'clusters-')), local);
    expect(store.list()).toEqual([
      expect.objectContaining({
        id: LOCAL_CLUSTER_ID,
        kind: 'local',
        builtIn: true,
        bootstrapServers: ['127.0.0.1:9092'],
      }),
    ]);
    await expect(store.remove(LOCAL_CLUSTER_ID)).rejects.toThrow(/built in/);
  });

  it('saves settings across reopen but never writes a secret to disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clusters-'));
    const store = await ClusterStore.open(dir, local);
    const created = await store.create({
      kind: 'kafka',
      name: 'Prod EU',
      bootstrapServers: ['kafka-1:9093'],
      sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 's3cret-pw' },
      tls: { enabled: true, key: 'PRIVATE-KEY-PEM', cert: 'CERT', rejectUnauthorized: false },
    });
    expect(created).toMatchObject({
      id: 'prod-eu',
      sasl: { username: 'alice', hasPassword: true },
      tls: { hasClientCert: true, rejectUnauthorized: false },
      warnings: ['TLS certificate verification is turned off for this cluster.'],
    });
    expect(store.connectionSettings('prod-eu').secrets).toEqual({
      saslPassword: 's3cret-pw',
      tlsKey: 'PRIVATE-KEY-PEM',
    });

    const onDisk = await readFile(join(dir, 'engine', 'clusters.json'), 'utf8');
    expect(onDisk).toContain('kafka-1:9093');
    expect(onDisk).not.toContain('s3cret-pw');
    expect(onDisk).not.toContain('PRIVATE-KEY-PEM');

    const reopened = await ClusterStore.open(dir, local);
    expect(reopened.get('prod-eu')).toMatchObject({
      name: 'Prod EU',
      sasl: { hasPassword: false },
    });
    expect(reopened.get('prod-eu').warnings).toContain(
      'The SASL password is not stored; enter it again to connect.',
    );
  });

  it('updates and removes a saved cluster, and names a missing one', async () => {
    const store = await ClusterStore.open(await mkdtemp(join(tmpdir(), 'clusters-')), local);
    await store.create({ kind: 'kafka', name: 'dev', bootstrapServers: ['a:1'] });
    const updated = await store.update('dev', { bootstrapServers: ['b:2', 'c:3'], sasl: null });
    expect(updated.bootstrapServers).toEqual(['b:2', 'c:3']);
    await store.remove('dev');
    expect(() => store.get('dev')).toThrow('Cluster "dev" was not found.');
  });
});
