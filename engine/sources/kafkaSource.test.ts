/**
 * "Test connection" against servers that fail in each of the ways a person must tell apart:
 * nothing listening, a TLS certificate this machine does not trust or that names another
 * host, and a server that accepts the connection but never answers.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaSource } from './kafkaSource';

const fixture = (name: string) =>
  readFileSync(new URL(`../../broker/server/fixtures/${name}`, import.meta.url), 'utf8');
const cert = fixture('localhost.cert.pem');
const key = fixture('localhost.key.pem');

const servers: Server[] = [];
const sockets = new Set<{ destroy(): void }>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(() => resolve(null)))),
  );
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A TLS listener that completes handshakes and then says nothing (a Kafka that hangs). */
const silentTls = () =>
  createTlsServer({ cert, key }, (socket) => socket.on('error', () => undefined));

async function test(settings: ConstructorParameters<typeof KafkaSource>[0]) {
  const source = new KafkaSource({
    connectionTimeoutMs: 2000,
    requestTimeoutMs: 1500,
    ...settings,
  });
  try {
    return await source.test();
  } finally {
    await source.close();
  }
}

describe('KafkaSource.test', () => {
  it('nothing listening: connection refused, with the address', async () => {
    const port = await listen(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const result = await test({ brokers: [`127.0.0.1:${port}`] });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', kafkaError: 'CONNECTION_REFUSED' },
    });
    expect(result.error!.message).toContain(`127.0.0.1:${port}`);
  });

  it('a certificate this machine does not trust: a TLS failure that asks for the CA', async () => {
    const port = await listen(silentTls());
    const result = await test({
      brokers: [`127.0.0.1:${port}`],
      tls: { enabled: true, rejectUnauthorized: true },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', kafkaError: 'TLS_FAILURE' },
    });
    expect(result.error!.message).toMatch(/CA certificate/);
  });

  it('a certificate for another name: a TLS failure that points at "server name"', async () => {
    const port = await listen(silentTls());
    const result = await test({
      brokers: [`127.0.0.1:${port}`],
      tls: { enabled: true, ca: cert, serverName: 'kafka.example.com', rejectUnauthorized: true },
    });
    expect(result).toMatchObject({ ok: false, error: { kafkaError: 'TLS_FAILURE' } });
    expect(result.error!.message).toMatch(/server name/);
  });

  it('a server that accepts but never answers: a timeout', async () => {
    const port = await listen(silentTls());
    const result = await test({
      brokers: [`127.0.0.1:${port}`],
      tls: { enabled: true, ca: cert, rejectUnauthorized: true },
    });
    expect(result.error, JSON.stringify(result)).toMatchObject({
      code: 'UNAVAILABLE',
      kafkaError: 'TIMEOUT',
    });
  });
});
