/**
 * The window's security settings as the app uses them (the same functions `window.ts` calls):
 * any loosened switch or CSP directive fails here.
 */
import { describe, expect, it } from 'vitest';
import {
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  isAllowedRequest,
  secureWebPreferences,
  windowContentSecurityPolicy,
} from './security';

const PORT = 41234;
const ORIGIN = `http://127.0.0.1:${PORT}`;

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('webPreferences', () => {
  it('isolates and sandboxes the page, with no Node and full web security', () => {
    expect(secureWebPreferences('/app/dist/electron/preload.cjs')).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    });
  });
});

describe('Content-Security-Policy', () => {
  const csp = directives(windowContentSecurityPolicy(PORT));

  it('runs scripts only from the engine, never inline or eval', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    for (const [name, sources] of csp) {
      expect(sources, name).not.toContain("'unsafe-eval'");
      expect(sources, name).not.toContain('*');
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
    }
  });

  it('connects only to the engine’s loopback origin', () => {
    const connect = csp.get('connect-src') ?? [];
    expect(connect).toContain("'self'");
    for (const source of connect.filter((entry) => entry !== "'self'")) {
      expect(source).toMatch(new RegExp(`^ws://(127\\.0\\.0\\.1|localhost|\\[::1\\]):${PORT}$`));
    }
  });
});

describe('navigation and windows', () => {
  it('stays on the engine’s origin, sends web links to the browser and refuses the rest', () => {
    expect(decideNavigation(`${ORIGIN}/c/local/t/orders`, ORIGIN)).toBe('allow');
    expect(decideNavigation('https://kafka.apache.org/documentation/', ORIGIN)).toBe(
      'open-externally',
    );
    expect(decideNavigation(`http://127.0.0.1:${PORT + 1}/`, ORIGIN)).toBe('open-externally');
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'logscope://x',
      'not a url',
      'https://user@evil.example/',
    ]) {
      expect(decideNavigation(url, ORIGIN), url).toBe('deny');
    }
  });

  it('never opens a window: http(s) goes to the system browser, everything else nowhere', () => {
    expect(decideWindowOpen('https://github.com/')).toBe('open-externally');
    expect(decideWindowOpen(`${ORIGIN}/`)).toBe('open-externally');
    expect(decideWindowOpen('file:///tmp/x.html')).toBe('deny');
    expect(decideWindowOpen('smb://server/share')).toBe('deny');
  });

  it('lets the page reach only the engine', () => {
    expect(isAllowedRequest(`${ORIGIN}/api/v1/status`, PORT)).toBe(true);
    expect(isAllowedRequest(`ws://127.0.0.1:${PORT}/api/v1/stream`, PORT)).toBe(true);
    expect(isAllowedRequest(`http://127.0.0.1:${PORT + 1}/`, PORT)).toBe(false);
    expect(isAllowedRequest(`http://192.168.1.10:${PORT}/`, PORT)).toBe(false);
    expect(isAllowedRequest('https://cdn.example/lib.js', PORT)).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd', PORT)).toBe(false);
  });

  it('denies every permission a page can ask for', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'usb']) {
      expect(decidePermission(permission), permission).toBe(false);
    }
  });
});
