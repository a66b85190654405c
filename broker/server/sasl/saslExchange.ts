/**
 * Server side of the SASL exchanges a Kafka broker offers: PLAIN (RFC 4616) and SCRAM-SHA-256 /
 * SCRAM-SHA-512 (RFC 5802, RFC 7677). Bytes in, bytes out: the connection feeds it each
 * SaslAuthenticate (or, before KIP-152, raw) token and sends back what it answers.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SCRAM_HASH, type SaslMechanism, type SaslUsers, type ScramMechanism } from './credentials';

export type SaslStep =
  | { done: false; response: Buffer }
  | { done: true; response: Buffer; principal: string }
  | { failed: true; message: string };

export interface SaslExchange {
  step(token: Buffer): SaslStep;
}

export function startSaslExchange(
  mechanism: SaslMechanism,
  users: SaslUsers,
  nonce: () => string = () => randomBytes(18).toString('base64'),
): SaslExchange {
  return mechanism === 'PLAIN'
    ? new PlainExchange(users)
    : new ScramExchange(mechanism, users, nonce);
}

const failed = (message: string): SaslStep => ({ failed: true, message });

class PlainExchange implements SaslExchange {
  constructor(private readonly users: SaslUsers) {}

  step(token: Buffer): SaslStep {
    // message = [authzid] NUL authcid NUL passwd
    const parts = token.toString('utf8').split('\0');
    if (parts.length !== 3) return failed('Malformed SASL/PLAIN message.');
    const [authzid, username, password] = parts as [string, string, string];
    if (authzid !== '' && authzid !== username) {
      return failed('SASL/PLAIN authorization id must be empty or equal the user name.');
    }
    if (!this.users.checkPlain(username, password)) {
      return failed(`Authentication failed: invalid username or password for ${username}.`);
    }
    return { done: true, response: Buffer.alloc(0), principal: username };
  }
}

/** `a=1,b=2` → {a: '1', b: '2'} (values may contain '='). */
function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) map.set(part[0]!, part.slice(2));
  }
  return map;
}

/** RFC 5802 §5.1: `=2C` is ',', `=3D` is '='; any other '=' escape is invalid. */
function decodeSaslName(name: string): string | null {
  if (/=(?!2C|3D)/.test(name)) return null;
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

class ScramExchange implements SaslExchange {
  private state:
    | { phase: 'first' }
    | {
        phase: 'final';
        username: string;
        clientNonce: string;
        nonce: string;
        clientFirstBare: string;
        serverFirst: string;
        gs2Header: string;
      }
    | { phase: 'done' } = { phase: 'first' };

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly users: SaslUsers,
    private readonly nonce: () => string,
  ) {}

  step(token: Buffer): SaslStep {
    const message = token.toString('utf8');
    if (this.state.phase === 'first') return this.clientFirst(message);
    if (this.state.phase === 'final') return this.clientFinal(message, this.state);
    return failed('The SCRAM exchange is already complete.');
  }

  private clientFirst(message: string): SaslStep {
    // client-first-message = gs2-header client-first-message-bare; gs2-header = "n,," | "y,," | "n,a=…,"
    const match = /^([ny]),(a=[^,]*)?,(.*)$/.exec(message);
    if (!match) {
      return failed(
        message.startsWith('p=')
          ? 'SCRAM channel binding is not supported.'
          : 'Malformed SCRAM client-first message.',
      );
    }
    const clientFirstBare = match[3]!;
    const fields = attributes(clientFirstBare);
    const username = decodeSaslName(fields.get('n') ?? '');
    const clientNonce = fields.get('r');
    if (!username || !clientNonce) return failed('Malformed SCRAM client-first message.');
    if (fields.has('m')) return failed('SCRAM extensions that are mandatory are not supported.');
    const credential = this.users.scramCredential(username, this.mechanism);
    // Kafka answers an unknown user only at the end, like a wrong password.
    const salt = credential?.salt ?? randomBytes(24);
    const iterations = credential?.iterations ?? 4096;
    const nonce = clientNonce + this.nonce();
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
    this.state = {
      phase: 'final',
      username,
      clientNonce,
      nonce,
      clientFirstBare,
      serverFirst,
      gs2Header: message.slice(0, message.length - clientFirstBare.length),
    };
    return { done: false, response: Buffer.from(serverFirst) };
  }

  private clientFinal(
    message: string,
    state: {
      username: string;
      clientNonce: string;
      nonce: string;
      clientFirstBare: string;
      serverFirst: string;
      gs2Header: string;
    },
  ): SaslStep {
    this.state = { phase: 'done' };
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) return failed('Malformed SCRAM client-final message.');
    const withoutProof = message.slice(0, proofAt);
    const fields = attributes(withoutProof);
    if (fields.get('c') !== Buffer.from(state.gs2Header).toString('base64')) {
      return failed('SCRAM channel binding does not match.');
    }
    // librdkafka 2.0 sends its own nonce again in front of the combined one; Kafka accepts that.
    const nonce = fields.get('r');
    if (nonce !== state.nonce && nonce !== state.clientNonce + state.nonce) {
      return failed('SCRAM nonce does not match.');
    }
    const credential = this.users.scramCredential(state.username, this.mechanism);
    const { algorithm, length } = SCRAM_HASH[this.mechanism];
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
    if (!credential || proof.length !== length) {
      return failed(
        `Authentication failed during authentication due to invalid credentials with SASL mechanism ${this.mechanism}`,
      );
    }
    const clientSignature = createHmac(algorithm, credential.storedKey)
      .update(authMessage)
      .digest();
    const clientKey = Buffer.alloc(length);
    for (let i = 0; i < length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    const storedKey = createHash(algorithm).update(clientKey).digest();
    if (!timingSafeEqual(storedKey, credential.storedKey)) {
      return failed(
        `Authentication failed during authentication due to invalid credentials with SASL mechanism ${this.mechanism}`,
      );
    }
    const serverSignature = createHmac(algorithm, credential.serverKey)
      .update(authMessage)
      .digest();
    return {
      done: true,
      response: Buffer.from(`v=${serverSignature.toString('base64')}`),
      principal: state.username,
    };
  }
}
