import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SaslUsers } from './credentials';
import { startSaslExchange, type SaslStep } from './saslExchange';

const text = (step: SaslStep) =>
  'response' in step ? step.response.toString() : `FAILED: ${step.message}`;

describe('SASL/PLAIN', () => {
  const users = new SaslUsers([{ username: 'alice', password: 'alice-secret' }]);

  it('accepts the right password and names the principal', () => {
    const step = startSaslExchange('PLAIN', users).step(Buffer.from('\0alice\0alice-secret'));
    expect(step).toEqual({ done: true, response: Buffer.alloc(0), principal: 'alice' });
  });

  it('refuses a wrong password, an unknown user and a malformed message', () => {
    for (const token of [
      '\0alice\0wrong',
      '\0mallory\0alice-secret',
      'alice-secret',
      'bob\0alice\0alice-secret',
    ]) {
      expect(startSaslExchange('PLAIN', users).step(Buffer.from(token))).toMatchObject({
        failed: true,
      });
    }
  });
});

describe('SASL/SCRAM', () => {
  it('replays the SCRAM-SHA-256 exchange published in RFC 7677, section 3', () => {
    const users = new SaslUsers([{ username: 'user', password: 'pencil' }], () =>
      Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
    );
    const exchange = startSaslExchange(
      'SCRAM-SHA-256',
      users,
      () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    );
    expect(text(exchange.step(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')))).toBe(
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    );
    const final = exchange.step(
      Buffer.from(
        'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
      ),
    );
    expect(final).toMatchObject({ done: true, principal: 'user' });
    expect(text(final)).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  /** A SCRAM client written from RFC 5802, for the mechanisms the RFCs give no vectors for. */
  function clientExchange(
    mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
    username: string,
    password: string,
    users: SaslUsers,
  ) {
    const [algorithm, length] =
      mechanism === 'SCRAM-SHA-256' ? (['sha256', 32] as const) : (['sha512', 64] as const);
    const exchange = startSaslExchange(mechanism, users);
    const clientFirstBare = `n=${username.replace(/=/g, '=3D').replace(/,/g, '=2C')},r=clientnonce123`;
    const serverFirst = text(exchange.step(Buffer.from(`n,,${clientFirstBare}`)));
    const fields = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
    const salted = pbkdf2Sync(
      password,
      Buffer.from(fields.s!, 'base64'),
      Number(fields.i),
      length,
      algorithm,
    );
    const clientKey = createHmac(algorithm, salted).update('Client Key').digest();
    const storedKey = createHash(algorithm).update(clientKey).digest();
    const withoutProof = `c=biws,r=${fields.r}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac(algorithm, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
    const final = exchange.step(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`));
    const serverKey = createHmac(algorithm, salted).update('Server Key').digest();
    const expectedServerFinal = `v=${createHmac(algorithm, serverKey).update(authMessage).digest('base64')}`;
    return { final, expectedServerFinal };
  }

  it('authenticates SCRAM-SHA-512 and proves the server knows the password too', () => {
    const users = new SaslUsers([{ username: 'we,ird=name', password: 'p4ss' }]);
    const { final, expectedServerFinal } = clientExchange(
      'SCRAM-SHA-512',
      'we,ird=name',
      'p4ss',
      users,
    );
    expect(final).toMatchObject({ done: true, principal: 'we,ird=name' });
    expect(text(final)).toBe(expectedServerFinal);
  });

  it('refuses a wrong password and an unknown user at the final step', () => {
    const users = new SaslUsers([{ username: 'alice', password: 'right' }]);
    expect(clientExchange('SCRAM-SHA-256', 'alice', 'wrong', users).final).toMatchObject({
      failed: true,
    });
    expect(clientExchange('SCRAM-SHA-512', 'nobody', 'right', users).final).toMatchObject({
      failed: true,
    });
  });

  it('refuses malformed messages and channel binding it cannot do', () => {
    const users = new SaslUsers([{ username: 'alice', password: 'right' }]);
    expect(startSaslExchange('SCRAM-SHA-256', users).step(Buffer.from('garbage'))).toMatchObject({
      failed: true,
    });
    expect(
      startSaslExchange('SCRAM-SHA-256', users).step(Buffer.from('p=tls-unique,,n=alice,r=x')),
    ).toEqual({
      failed: true,
      message: 'SCRAM channel binding is not supported.',
    });
    const exchange = startSaslExchange('SCRAM-SHA-256', users);
    exchange.step(Buffer.from('n,,n=alice,r=abc'));
    expect(exchange.step(Buffer.from('c=biws,r=tampered,p=AAAA'))).toEqual({
      failed: true,
      message: 'SCRAM nonce does not match.',
    });
  });

  it('parses a users file and names what is wrong with a bad one', () => {
    expect(
      SaslUsers.parse('{"users":[{"username":"a","password":"b"}]}', 'users.json').checkPlain(
        'a',
        'b',
      ),
    ).toBe(true);
    expect(() => SaslUsers.parse('{nope', 'users.json')).toThrow(/users.json is not valid JSON/);
    expect(() => SaslUsers.parse('{"users":[{"username":""}]}', 'users.json')).toThrow(
      /users\[0\] needs/,
    );
  });
});
