/** JSON calls to a running engine's API, with its token, for cross-process tests. */

export interface EngineCallError extends Error {
  status: number;
  body: { error: { code: string; message: string; field?: string } };
}

/**
 * `target` is read at call time, because tests learn the engine's address in `beforeAll`.
 * `api` resolves with the parsed body and rejects with an `EngineCallError` on a non-2xx;
 * `apiError` expects the call to fail and resolves with that error.
 */
export function engineClient(target: () => { base: string; token: string }) {
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
