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
 * the answer is JSON, and errors are the engine's like any call's. XMLHttpRequest rather than
 * fetch: it reports upload progress, which a large file needs.
 */
export function uploadFile<T>(
  path: string,
  file: Blob,
  onProgress?: (sent: number, total: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    const token = apiToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.total || file.size);
    xhr.onerror = () =>
      reject(
        new EngineApiError(0, {
          code: 'UNAVAILABLE',
          message:
            'The upload did not reach the engine (is it still running, or was the file over its limit?).',
        }),
      );
    xhr.onload = () => {
      let payload: unknown = null;
      try {
        payload = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: described below by its status
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(payload as T);
      else
        reject(
          new EngineApiError(
            xhr.status,
            (payload as ApiErrorBody | null)?.error ?? {
              code: 'INTERNAL',
              message: `The engine answered ${xhr.status} ${xhr.statusText}.`,
            },
          ),
        );
    };
    xhr.send(file);
  });
}

/** A person-readable line for any failure: the engine's own message where there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof EngineApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
