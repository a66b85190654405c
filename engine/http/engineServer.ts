/**
 * The engine's HTTP server: `/api/v1/…` JSON routes, the `/api/v1/ws` WebSocket, the OpenAPI
 * document, and the built renderer for everything else. Loopback only unless told otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routes } from '../api';
import { ApiError } from './apiError';
import type { RawRoute } from './fileTransfer';
import { buildOpenApiDocument } from './openapi';
import { Router, type Handlers } from './router';
import { checkOrigin, checkToken, contentSecurityPolicy, type AccessPolicy } from './security';
import { serveStatic } from './staticFiles';
import { StreamHub } from './streamHub';

const API_PREFIX = '/api/v1';
const MAX_JSON_BODY = 1024 * 1024;

export interface EngineServerOptions {
  host: string;
  port: number;
  token: string;
  allowRemote: boolean;
  /** Folder of the built renderer, or null to serve the API only. */
  staticDir: string | null;
  version: string;
  handlers: Handlers;
  /** Requests served outside the JSON router: file downloads and uploads (fileTransfer.ts). */
  rawRoutes?: RawRoute[];
  log?: (line: string) => void;
}

export class EngineServer {
  readonly streams: StreamHub;
  private readonly router: Router;
  private readonly http: Server;
  private readonly policy: AccessPolicy;
  private openApi: string | undefined;

  constructor(private readonly options: EngineServerOptions) {
    this.router = new Router(routes, options.handlers);
    this.policy = { token: options.token, port: options.port, allowRemote: options.allowRemote };
    this.streams = new StreamHub(this.policy);
    this.http = createServer((request, response) => void this.handle(request, response));
    this.http.on('upgrade', (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://x').pathname !== `${API_PREFIX}/ws`) {
        socket.destroy();
        return;
      }
      this.streams.upgrade(request, socket, head);
    });
  }

  /** Listens and returns the port (the real one when asked for port 0). */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, () => resolve());
    });
    const port = (this.http.address() as AddressInfo).port;
    this.policy.port = port;
    return port;
  }

  async close(): Promise<void> {
    this.streams.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://engine');
    try {
      checkOrigin(request.headers, this.policy);
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          throw new ApiError('METHOD_NOT_ALLOWED', 'Only GET is served outside the API.');
        }
        if (!this.options.staticDir) throw new ApiError('NOT_FOUND', 'This engine serves no UI.');
        await serveStatic(
          this.options.staticDir,
          url.pathname,
          response,
          contentSecurityPolicy(this.policy.port),
        );
        return;
      }
      const path = url.pathname.slice(API_PREFIX.length);
      for (const raw of this.options.rawRoutes ?? []) {
        const found = request.method === raw.method ? raw.pattern.exec(path) : null;
        if (!found) continue;
        if (raw.bearer) checkToken(request.headers, this.policy);
        await raw.handle(request, response, found);
        return;
      }
      checkToken(request.headers, this.policy);
      if (path === '/openapi.json' && request.method === 'GET') {
        this.openApi ??= JSON.stringify(buildOpenApiDocument(routes, this.options.version));
        this.sendJson(response, 200, this.openApi);
        return;
      }
      const match = this.router.match(request.method ?? 'GET', path);
      const body = match.route.spec.body ? await readJsonBody(request) : undefined;
      const result = await this.router.run(match, url.searchParams, body);
      const status = match.route.spec.status ?? 200;
      if (status === 204) {
        response.writeHead(204, { 'cache-control': 'no-store' }).end();
      } else {
        this.sendJson(response, status, JSON.stringify(result));
      }
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError('INTERNAL', 'The engine failed to answer; see its log.', { cause: error });
      if (apiError.code === 'INTERNAL') {
        this.options.log?.(
          `internal error on ${request.method} ${url.pathname}: ${describe(error)}`,
        );
      }
      if (response.headersSent) {
        response.destroy();
        return;
      }
      this.sendJson(response, apiError.status, JSON.stringify({ error: apiError.toDetail() }));
    }
  }

  private sendJson(response: ServerResponse, status: number, json: string): void {
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    response.end(json);
  }
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY) {
      throw new ApiError('PAYLOAD_TOO_LARGE', `The request body is over ${MAX_JSON_BODY} bytes.`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError('BAD_REQUEST', `The request body is not valid JSON: ${describe(error)}`, {
      field: 'body',
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
