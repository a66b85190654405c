/**
 * Cluster secrets kept with the OS credential store: each value is encrypted by Electron's
 * `safeStorage` (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and the
 * ciphertext is kept in `secrets.json` in the user-data directory. The cipher is given, so the
 * file handling is tested without Electron.
 */
import { z } from 'zod';
import { readJson, writeJson } from './settingsStore';

export interface Cipher {
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

const SecretsFile = z.record(z.string(), z.string());

export class SecretStore {
  constructor(
    private readonly path: string,
    private readonly cipher: Cipher,
  ) {}

  available(): boolean {
    return this.cipher.available();
  }

  store(name: string, value: string): void {
    this.requireCipher();
    const secrets = this.read();
    secrets[name] = this.cipher.encrypt(value).toString('base64');
    writeJson(this.path, secrets);
  }

  retrieve(name: string): string | null {
    const encrypted = this.read()[name];
    if (encrypted === undefined) return null;
    this.requireCipher();
    return this.cipher.decrypt(Buffer.from(encrypted, 'base64'));
  }

  remove(name: string): void {
    const secrets = this.read();
    if (!(name in secrets)) return;
    delete secrets[name];
    writeJson(this.path, secrets);
  }

  private read(): Record<string, string> {
    return readJson(this.path, SecretsFile, {});
  }

  private requireCipher(): void {
    // Never fall back to plain text: without an OS store the caller must ask the user each time.
    if (!this.cipher.available()) throw new Error('the OS credential store is not available');
  }
}
