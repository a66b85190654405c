/**
 * Who may talk to the engine. The engine listens on loopback and every API request carries the
 * bearer token made at start; a browser page from another origin, or a request whose Host is not
 * the address we serve (DNS rebinding), is refused even when it holds the token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './apiError';

export interface AccessPolicy {
  token: string;
  /** Port the engine serves, part of every accepted Host and Origin. */
  port: number;
  /** With `--allow-remote`, hosts other than loopback may reach the engine (token still needed). */
  allowRemote: boolean;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHosts(policy: AccessPolicy): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((host) => `${host}:${policy.port}`));
}

/** Refuses a request whose Host or Origin is foreign. */
export function checkOrigin(headers: IncomingHttpHeaders, policy: AccessPolicy): void {
  if (policy.allowRemote) return;
  const hosts = allowedHosts(policy);
  const host = headers.host ?? '';
  if (!hosts.has(host.toLowerCase())) {
    throw new ApiError(
      'FORBIDDEN',
      `Host "${host}" is not the loopback address this engine serves; open it as http://127.0.0.1:${policy.port}/.`,
    );
  }
  const origin = headers.origin;
  if (origin !== undefined && !hosts.has(origin.toLowerCase().replace(/^https?:\/\//, ''))) {
    throw new ApiError('FORBIDDEN', `Requests from origin "${origin}" are not allowed.`);
  }
}

export function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refuses an API request without the engine's bearer token. */
export function checkToken(headers: IncomingHttpHeaders, policy: AccessPolicy): void {
  const header = headers.authorization;
  const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  if (!tokenMatches(presented, policy.token)) {
    throw new ApiError(
      'UNAUTHORIZED',
      header === undefined
        ? 'This API needs "Authorization: Bearer <token>"; the token is in the URL that `logscope serve` printed.'
        : 'The bearer token is not this engine’s token.',
    );
  }
}

/** The Content-Security-Policy of the app's pages: scripts only from the engine itself. */
export function contentSecurityPolicy(port: number): string {
  // CSP host sources have no syntax for IPv6 literals (Chromium logs `ws://[::1]:…` as an
  // invalid source), so the WebSocket is allowed on the named loopback hosts only.
  const wsOrigins = LOOPBACK_HOSTS.filter((host) => !host.startsWith('['))
    .map((host) => `ws://${host}:${port}`)
    .join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    // ECharts tooltips and Vue style bindings set inline styles; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${wsOrigins}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
