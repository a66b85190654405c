/**
 * The window's security settings, in one place that both the app and its tests read: the
 * `webPreferences`, the Content-Security-Policy, and the rules for navigation, new windows,
 * requests and permissions. Message payloads come from strangers, so the page gets what a
 * browser tab gets and no more. No Electron import: these are plain values and functions.
 */
import { contentSecurityPolicy } from '../../engine/http/security';

/** Every switch that matters is spelled out, so a loosened one shows up in review and in tests. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
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
  } as const;
}

/**
 * The CSP the window enforces. It is the engine's own (engine/http/security.ts), set again by
 * the main process on every page response from the engine, so the window stays strict even if
 * a response came without it.
 */
export function windowContentSecurityPolicy(enginePort: number): string {
  return contentSecurityPolicy(enginePort);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether the page may load or connect to this URL: only the engine, over loopback. */
export function isEngineUrl(url: string, enginePort: number): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'ws:') &&
      LOOPBACK.has(parsed.hostname) &&
      parsed.port === String(enginePort)
    );
  } catch {
    return false;
  }
}

/** Requests the window may make besides the engine's: DevTools' own. */
export function isAllowedRequest(url: string, enginePort: number): boolean {
  return isEngineUrl(url, enginePort) || url.startsWith('devtools://');
}

export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

/** A navigation stays in the app only within the engine's origin. */
export function decideNavigation(url: string, appOrigin: string): NavigationDecision {
  try {
    if (new URL(url).origin === appOrigin) return 'allow';
  } catch {
    return 'deny';
  }
  return isExternalWebLink(url) ? 'open-externally' : 'deny';
}

/** `window.open` never makes a window: a web link goes to the system browser, the rest nowhere. */
export function decideWindowOpen(url: string): Exclude<NavigationDecision, 'allow'> {
  return isExternalWebLink(url) ? 'open-externally' : 'deny';
}

/** Only http(s) links leave the app (never file:, javascript:, custom schemes…). */
export function isExternalWebLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '';
  } catch {
    return false;
  }
}

/** Camera, microphone, notifications, geolocation, …: the page gets none of them. */
export function decidePermission(_permission: string): boolean {
  return false;
}
