/** The one place that makes HTTP requests to the engine. */
import type { ApiErrorBody, ApiErrorDetail } from '../../../engine/api';
import { apiToken } from './token';

export class EngineApiError extends Error {
  override readonly name = 'EngineApiError';
  constructor(
    readonly status: number,
    readonly detail: ApiErrorDetail,
  ) {
    super(detail.message);
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = apiToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new EngineApiError(0, {
      code: 'UNAVAILABLE',
      message: 'The Logscope engine cannot be reached. Is it still running?',
    });
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = (payload as ApiErrorBody | null)?.error ?? {
      code: 'INTERNAL',
      message: `The engine answered ${response.status} ${response.statusText}.`,
    };
    throw new EngineApiError(response.status, detail);
  }
  return payload as T;
}

/**
 * Sends a file's bytes as the body (the browser streams it from disk) to a raw upload route;
 * the answer is JSON, and errors are the engine's like any call's.
 */
export async function uploadFile<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/octet-stream',
  };
  const token = apiToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method: 'POST', headers, body: file });
  } catch {
    throw new EngineApiError(0, {
      code: 'UNAVAILABLE',
      message:
        'The upload did not reach the engine (is it still running, or was the file too large?).',
    });
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new EngineApiError(
      response.status,
      (payload as ApiErrorBody | null)?.error ?? {
        code: 'INTERNAL',
        message: `The engine answered ${response.status} ${response.statusText}.`,
      },
    );
  }
  return payload as T;
}

/** A person-readable line for any failure: the engine's own message where there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof EngineApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
