import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './security';

describe('contentSecurityPolicy', () => {
  it('lets the page open its WebSocket on loopback with only sources a browser accepts', () => {
    const directives = new Map(
      contentSecurityPolicy(4321)
        .split('; ')
        .map((directive) => {
          const [name, ...sources] = directive.split(' ');
          return [name, sources] as const;
        }),
    );
    const connect = directives.get('connect-src') ?? [];
    expect(connect).toContain('ws://127.0.0.1:4321');
    expect(connect).toContain('ws://localhost:4321');
    // CSP's host-source grammar has no IPv6 literal: Chromium reports `ws://[::1]:…` as invalid.
    for (const source of connect) expect(source).toMatch(/^('self'|ws:\/\/[a-z0-9.-]+:4321)$/);
    expect(directives.get('script-src')).toEqual(["'self'"]);
  });
});
