/** JSON calls and WebSockets to a running engine's API, with its token, for cross-process tests. */
import WebSocket from 'ws';
import type { Job } from '../../engine/api';

/** Where an engine's API is (`http://127.0.0.1:PORT/api/v1`) and the token it wants. */
export interface EngineTarget {
  base: string;
  token: string;
}

export interface EngineCallError extends Error {
  status: number;
  body: { error: { code: string; message: string; field?: string } };
}

/**
 * `target` is read at call time, because tests learn the engine's address in `beforeAll`.
 * `api` resolves with the parsed body and rejects with an `EngineCallError` on a non-2xx;
 * `apiError` expects the call to fail and resolves with that error.
 */
export function engineClient(target: () => EngineTarget) {
  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { base, token } = target();
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw Object.assign(new Error(`${method} ${path}: ${response.status} ${text}`), {
        status: response.status,
        body: text ? JSON.parse(text) : null,
      });
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function apiError(method: string, path: string, body?: unknown): Promise<EngineCallError> {
    try {
      await api(method, path, body);
    } catch (error) {
      return error as EngineCallError;
    }
    throw new Error(`${method} ${path} succeeded`);
  }

  return { api, apiError };
}

/** Opens the engine's WebSocket, with the token as its subprotocol, and resolves once it is open. */
export async function openEngineSocket({ base, token }: EngineTarget): Promise<WebSocket> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`, [
    'logscope.v1',
    `bearer.${token}`,
  ]);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return socket;
}

/**
 * Starts a job with `start` and follows it on the WebSocket `jobs` stream until it ends, with
 * each update passed to `onEvent`. The socket is open before the job starts, so no update of
 * a short job is missed; a stream error rejects with the engine's error.
 */
export async function followJob(
  target: EngineTarget,
  start: () => Promise<Job>,
  onEvent?: (job: Job) => void,
): Promise<Job> {
  const socket = await openEngineSocket(target);
  try {
    const job = await start();
    return await new Promise<Job>((resolve, reject) => {
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw));
        if (message.op === 'error') reject(new Error(JSON.stringify(message.error)));
        const data = message.data as Job | undefined;
        if (message.op !== 'event' || !data) return;
        onEvent?.(data);
        if (data.finishedAt !== null) resolve(data);
      });
      socket.send(
        JSON.stringify({ op: 'subscribe', id: 'j', stream: 'jobs', params: { job: job.id } }),
      );
    });
  } finally {
    socket.close();
  }
}
