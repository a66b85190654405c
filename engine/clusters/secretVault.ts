/**
 * Where cluster secrets (SASL passwords, TLS private keys) live. By default only in memory for
 * this run. With `--secrets-key-file FILE`, in `<data-dir>/engine/secrets.enc`, encrypted with
 * AES-256-GCM under the key in that file — never in plain text on disk. (The desktop app keeps
 * them in the OS credential store instead, through its preload.)
 *
 * The key file holds 32 random bytes, as 64 hex digits (what Logscope writes when the file does
 * not exist yet), as base64, or raw; any other content of at least 32 bytes is taken as a
 * passphrase and stretched with scrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface ClusterSecrets {
  saslPassword?: string;
  tlsKey?: string;
}

export type SecretMap = Record<string, ClusterSecrets>;

export interface SecretVault {
  /** True when secrets outlive the process. */
  readonly durable: boolean;
  load(): Promise<SecretMap>;
  save(secrets: SecretMap): Promise<void>;
}

export class MemoryVault implements SecretVault {
  readonly durable = false;
  async load(): Promise<SecretMap> {
    return {};
  }
  async save(): Promise<void> {}
}

const Envelope = z.object({
  version: z.literal(1),
  algorithm: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

const Secrets = z.record(
  z.string(),
  z.object({ saslPassword: z.string().optional(), tlsKey: z.string().optional() }),
);

export class EncryptedFileVault implements SecretVault {
  readonly durable = true;

  private constructor(
    private readonly key: Buffer,
    private readonly file: string,
  ) {}

  /** Reads the key file, creating it with a new random key (mode 0600) when it is missing. */
  static async open(keyFile: string, file: string): Promise<EncryptedFileVault> {
    let content: Buffer;
    try {
      content = await readFile(keyFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(keyFile), { recursive: true });
      content = Buffer.from(`${randomBytes(32).toString('hex')}\n`);
      await writeFile(keyFile, content, { mode: 0o600, flag: 'wx' });
    }
    return new EncryptedFileVault(keyFrom(content, keyFile), file);
  }

  async load(): Promise<SecretMap> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const envelope = Envelope.parse(JSON.parse(text));
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.key,
        Buffer.from(envelope.iv, 'base64'),
      );
      decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(envelope.data, 'base64')),
        decipher.final(),
      ]);
      return Secrets.parse(JSON.parse(plain.toString('utf8')));
    } catch (error) {
      throw new Error(
        `${this.file} cannot be decrypted with this secrets key file: was the key changed? ` +
          'Restore the old key file, or delete the secrets file and enter the passwords again.',
        { cause: error },
      );
    }
  }

  async save(secrets: SecretMap): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    const envelope = {
      version: 1,
      algorithm: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(envelope), { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.file);
  }
}

function keyFrom(content: Buffer, keyFile: string): Buffer {
  const text = content.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) return Buffer.from(text, 'base64');
  if (content.length === 32) return content;
  if (content.length >= 32) return scryptSync(content, 'logscope-secrets-v1', 32);
  throw new Error(
    `${keyFile} holds ${content.length} bytes; a secrets key needs 32 random bytes (64 hex digits).`,
  );
}
