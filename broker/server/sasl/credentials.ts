/**
 * The users a SASL-enabled broker accepts, from `--sasl-users FILE`: JSON
 * `{"users": [{"username": "alice", "password": "…"}]}`. At load, each password becomes the
 * SCRAM credentials Kafka would store for it (salt, iterations, stored and server keys), so the
 * SCRAM exchange never touches the password again; PLAIN compares in constant time.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export const SCRAM_HASH: Record<
  ScramMechanism,
  { algorithm: 'sha256' | 'sha512'; length: number }
> = {
  'SCRAM-SHA-256': { algorithm: 'sha256', length: 32 },
  'SCRAM-SHA-512': { algorithm: 'sha512', length: 64 },
};

/** Kafka's minimum for SCRAM iterations is 4096 (RFC 7677 recommends at least that too). */
export const SCRAM_ITERATIONS = 4096;

export function scramCredential(
  mechanism: ScramMechanism,
  password: string,
  salt: Buffer = randomBytes(24),
  iterations = SCRAM_ITERATIONS,
): ScramCredential {
  const { algorithm, length } = SCRAM_HASH[mechanism];
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, length, algorithm);
  const clientKey = createHmac(algorithm, salted).update('Client Key').digest();
  return {
    salt,
    iterations,
    storedKey: createHash(algorithm).update(clientKey).digest(),
    serverKey: createHmac(algorithm, salted).update('Server Key').digest(),
  };
}

export class SaslUsers {
  private readonly plain = new Map<string, Buffer>();
  private readonly scram = new Map<string, Record<ScramMechanism, ScramCredential>>();

  /** `salt` is for tests that replay published SCRAM exchanges; by default salts are random. */
  constructor(
    users: { username: string; password: string }[],
    salt: () => Buffer = () => randomBytes(24),
  ) {
    for (const { username, password } of users) {
      this.plain.set(username, createHash('sha256').update(password).digest());
      this.scram.set(username, {
        'SCRAM-SHA-256': scramCredential('SCRAM-SHA-256', password, salt()),
        'SCRAM-SHA-512': scramCredential('SCRAM-SHA-512', password, salt()),
      });
    }
  }

  /** Parses the users file's text; the error names what is wrong. */
  static parse(text: string, source: string): SaslUsers {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${source} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const users = (parsed as { users?: unknown }).users;
    if (!Array.isArray(users) || users.length === 0) {
      throw new Error(
        `${source} must be {"users": [{"username": "…", "password": "…"}, …]} with at least one user`,
      );
    }
    users.forEach((user: unknown, i) => {
      const { username, password } = (user ?? {}) as Record<string, unknown>;
      if (
        typeof username !== 'string' ||
        username === '' ||
        typeof password !== 'string' ||
        password === ''
      ) {
        throw new Error(`${source}: users[${i}] needs a non-empty "username" and "password"`);
      }
    });
    return new SaslUsers(users as { username: string; password: string }[]);
  }

  checkPlain(username: string, password: string): boolean {
    const expected = this.plain.get(username);
    const given = createHash('sha256').update(password).digest();
    // Compare even for an unknown user, so timing does not reveal which users exist.
    return timingSafeEqual(expected ?? Buffer.alloc(32), given) && expected !== undefined;
  }

  scramCredential(username: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.scram.get(username)?.[mechanism];
  }
}
