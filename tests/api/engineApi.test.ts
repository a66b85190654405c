/**
 * The engine API as a client on this machine sees it: a real engine process, real HTTP, a real
 * WebSocket. Covers the security rules every later route inherits.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiErrorBody, Job } from '../../engine/api';
import { startEngine, type RunningEngine } from '../support/engine';
import { openEngineSocket } from '../support/engineClient';

let engine: RunningEngine;
let base: string;
let port: number;
let auth: { authorization: string };

beforeAll(async () => {
  engine = await startEngine({ name: 'engine-api' });
  ({ base, port } = engine);
  auth = { authorization: `Bearer ${engine.token}` };
});

afterAll(async () => {
  expect(await engine.stop()).toBe(0);
});

/** A raw request, so that Host can be set to anything (fetch forbids changing it). */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('engine API security', () => {
  it('answers 401 without a token and with a wrong one', async () => {
    const none = await fetch(`${base}/clusters`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Bearer') },
    });
    const wrong = await fetch(`${base}/clusters`, {
      headers: { authorization: `Bearer ${'0'.repeat(64)}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('answers 403 to a foreign Origin even with the token', async () => {
    const response = await fetch(`${base}/clusters`, {
      headers: { ...auth, origin: 'http://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as ApiErrorBody).error.code).toBe('FORBIDDEN');
  });

  it('answers 403 to a foreign Host (DNS rebinding) even with the token', async () => {
    const response = await rawGet('/api/v1/clusters', {
      ...auth,
      host: `attacker.example:${port}`,
    });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error.message).toContain('not the loopback address');
    const sameOrigin = await rawGet('/api/v1/clusters', {
      ...auth,
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('answers 400 with the field at fault to malformed JSON and to invalid input', async () => {
    const malformed = await fetch(`${base}/clusters`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"kind": "kafka",',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ApiErrorBody).error).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'body',
    });

    const invalid = await fetch(`${base}/clusters`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'kafka', name: 'x', bootstrapServers: ['no-port'] }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as ApiErrorBody).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'body.bootstrapServers.0',
    });
  });

  it('answers 404 to an unknown route and 405 to a wrong method', async () => {
    const unknown = await fetch(`${base}/no/such/route`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ApiErrorBody).error.code).toBe('NOT_FOUND');
    const wrongMethod = await fetch(`${base}/status`, { method: 'DELETE', headers: auth });
    expect(wrongMethod.status).toBe(405);
  });

  it('serves an OpenAPI document naming every route', async () => {
    const response = await fetch(`${base}/openapi.json`, { headers: auth });
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/clusters',
        '/api/v1/clusters/{cluster}',
        '/api/v1/jobs/{job}',
        '/api/v1/downloads/{ticket}',
        '/api/v1/uploads',
      ]),
    );
    expect(document.paths['/api/v1/clusters']?.post?.requestBody).toBeDefined();
  });

  it('refuses a WebSocket without the token, and streams to one with it', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, [
      'logscope.v1',
      'bearer.wrong',
    ]);
    const refusal = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.on('open', () => resolve('opened'));
    });
    expect(refusal).toBe('401');

    const socket = await openEngineSocket(engine);
    const first = new Promise<{ op: string; id: string; data: { engine: { version: string } } }>(
      (resolve) => socket.once('message', (raw) => resolve(JSON.parse(String(raw)))),
    );
    socket.send(JSON.stringify({ op: 'subscribe', id: 'st', stream: 'status' }));
    const message = await first;
    expect(message).toMatchObject({
      op: 'event',
      id: 'st',
      data: { engine: { version: expect.any(String) } },
    });
    socket.close();
  });
});

describe('engine streams', () => {
  it('refuses a subscription with bad params, naming the field, and keeps the socket', async () => {
    const socket = await openEngineSocket(engine);
    const messages: { op: string; id: string; error?: { code: string; field?: string } }[] = [];
    const received = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.length >= count ? resolve() : undefined);
        socket.on('message', (raw) => {
          messages.push(JSON.parse(String(raw)));
          check();
        });
      });
    const two = received(2);
    socket.send(
      JSON.stringify({ op: 'subscribe', id: 'bad', stream: 'tail', params: { topic: 't' } }),
    );
    socket.send(JSON.stringify({ op: 'subscribe', id: 'ok', stream: 'status' }));
    await two;
    expect(messages[0]).toMatchObject({
      op: 'error',
      id: 'bad',
      error: { code: 'VALIDATION_FAILED', field: 'params.cluster' },
    });
    expect(messages[1]).toMatchObject({ op: 'event', id: 'ok' });
    socket.close();
  });
});

describe('engine jobs', () => {
  it('runs a job with progress events on the WebSocket to a result', async () => {
    const socket = await openEngineSocket(engine);
    const events: { state: string; progress: { done: number } }[] = [];
    const finished = new Promise<{ state: string; result: unknown }>((resolve) => {
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw));
        if (message.op !== 'event' || message.id !== 'jobs') return;
        events.push(message.data);
        if (message.data.finishedAt) resolve(message.data);
      });
    });
    socket.send(JSON.stringify({ op: 'subscribe', id: 'jobs', stream: 'jobs' }));
    // The subscription is registered once the socket has processed our message: a status
    // round trip on the same socket proves it.
    await new Promise<void>((resolve) => {
      socket.send(JSON.stringify({ op: 'subscribe', id: 'sync', stream: 'status' }));
      const onMessage = (raw: WebSocket.RawData) => {
        if (JSON.parse(String(raw)).id === 'sync') {
          socket.off('message', onMessage);
          resolve();
        }
      };
      socket.on('message', onMessage);
    });

    const started = await fetch(`${base}/jobs/count`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ total: 50_000, step: 100 }),
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as Job;
    const done = await finished;
    expect(done).toMatchObject({ state: 'succeeded', result: { counted: 50_000 } });
    expect(events.length).toBeGreaterThan(1);
    const dones = events.map((e) => e.progress.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    const fetched = (await (
      await fetch(`${base}/jobs/${job.id}`, { headers: auth })
    ).json()) as Job;
    expect(fetched.state).toBe('succeeded');
    socket.close();
  });

  it('cancels a running job', async () => {
    const started = await fetch(`${base}/jobs/count`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ total: 1_000_000_000, step: 1 }),
    });
    const job = (await started.json()) as Job;
    const cancelled = await fetch(`${base}/jobs/${job.id}/cancel`, {
      method: 'POST',
      headers: auth,
    });
    expect(cancelled.status).toBe(200);
    let state = ((await cancelled.json()) as Job).state;
    while (state === 'running') {
      state = ((await (await fetch(`${base}/jobs/${job.id}`, { headers: auth })).json()) as Job)
        .state;
    }
    expect(state).toBe('cancelled');
  });
});
