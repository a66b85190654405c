import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterStore } from './clusterStore';
import { EncryptedFileVault } from './secretVault';

const local = () => ({ bootstrapServer: '127.0.0.1:9092', adminUrl: null });

describe('secrets with --secrets-key-file', () => {
  it('keeps secrets across restarts, encrypted: the data dir never holds them in plain text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-'));
    const keyFile = join(dir, 'key');
    const vaultFile = join(dir, 'engine', 'secrets.enc');
    const store = await ClusterStore.open(
      dir,
      local,
      await EncryptedFileVault.open(keyFile, vaultFile),
    );
    await store.create({
      kind: 'kafka',
      name: 'prod',
      bootstrapServers: ['kafka:9093'],
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'hunter2-secret' },
      tls: { enabled: true, key: '-----BEGIN PRIVATE KEY-----xyz', rejectUnauthorized: true },
    });
    // The key file was created with a fresh random key, readable by its owner only.
    expect((await readFile(keyFile, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const onDisk =
      (await readFile(vaultFile, 'utf8')) +
      (await readFile(join(dir, 'engine', 'clusters.json'), 'utf8'));
    expect(onDisk).not.toContain('hunter2-secret');
    expect(onDisk).not.toContain('PRIVATE KEY');
    expect(JSON.parse(await readFile(vaultFile, 'utf8'))).toMatchObject({
      algorithm: 'aes-256-gcm',
    });

    const reopened = await ClusterStore.open(
      dir,
      local,
      await EncryptedFileVault.open(keyFile, vaultFile),
    );
    expect(reopened.get('prod')).toMatchObject({ sasl: { hasPassword: true }, warnings: [] });
    expect(reopened.connectionSettings('prod').secrets).toEqual({
      saslPassword: 'hunter2-secret',
      tlsKey: '-----BEGIN PRIVATE KEY-----xyz',
    });

    await reopened.remove('prod');
    const afterRemove = await EncryptedFileVault.open(keyFile, vaultFile);
    expect(await afterRemove.load()).toEqual({});
  });

  it('refuses to start with a different key rather than lose or expose the secrets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-'));
    const vaultFile = join(dir, 'secrets.enc');
    const first = await EncryptedFileVault.open(join(dir, 'key-a'), vaultFile);
    await first.save({ c: { saslPassword: 'p' } });
    const other = await EncryptedFileVault.open(join(dir, 'key-b'), vaultFile);
    await expect(other.load()).rejects.toThrow(/cannot be decrypted with this secrets key file/);
  });

  it('takes a passphrase file, and refuses a key that is too short', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-'));
    await writeFile(join(dir, 'phrase'), 'correct horse battery staple, and then some more words');
    const vault = await EncryptedFileVault.open(join(dir, 'phrase'), join(dir, 's.enc'));
    await vault.save({ c: { tlsKey: 'k' } });
    expect(await vault.load()).toEqual({ c: { tlsKey: 'k' } });
    await writeFile(join(dir, 'short'), 'abc');
    await expect(EncryptedFileVault.open(join(dir, 'short'), join(dir, 'x.enc'))).rejects.toThrow(
      /32 random bytes/,
    );
  });
});
