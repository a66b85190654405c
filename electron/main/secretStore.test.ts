import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretStore, type Cipher } from './secretStore';

/** A reversible stand-in for safeStorage that is visibly not plain text. */
const cipher = (available = true): Cipher => ({
  available: () => available,
  encrypt: (plain) => Buffer.from(plain, 'utf8').reverse(),
  decrypt: (encrypted) => Buffer.from(encrypted).reverse().toString('utf8'),
});

describe('SecretStore', () => {
  it('keeps only ciphertext on disk and gives the secret back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'logscope-secrets-')), 'secrets.json');
    const store = new SecretStore(path, cipher());
    store.store('cluster:prod:password', 'hunter2');
    expect(readFileSync(path, 'utf8')).not.toContain('hunter2');
    expect(new SecretStore(path, cipher()).retrieve('cluster:prod:password')).toBe('hunter2');
    store.remove('cluster:prod:password');
    expect(store.retrieve('cluster:prod:password')).toBeNull();
  });

  it('refuses to store a secret without an OS credential store rather than keep it in clear', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'logscope-secrets-')), 'secrets.json');
    const store = new SecretStore(path, cipher(false));
    expect(store.available()).toBe(false);
    expect(() => store.store('name', 'value')).toThrow(/credential store/);
  });
});
