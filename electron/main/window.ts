/**
 * The main window and the rules every web page in the app lives under: the session refuses
 * permissions and any request that is not to the engine, sets the CSP on the engine's pages,
 * and no page may navigate away, open a window or attach a webview. The values come from
 * `security.ts`, which the tests read.
 */
import { BrowserWindow, app, screen, session, shell, type WebContents } from 'electron';
import {
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  isAllowedRequest,
  isEngineUrl,
  secureWebPreferences,
  windowContentSecurityPolicy,
} from './security';
import { WindowState, readJson, writeJson } from './settingsStore';
import { restoreBounds } from './windowBounds';

/** Applies the session rules once the engine's port is known. */
export function hardenSession(enginePort: number, log: (line: string) => void): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`security: denied permission "${permission}"`);
    callback(decidePermission(permission));
  });
  ses.setPermissionCheckHandler((_contents, permission) => decidePermission(permission));
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, enginePort);
    if (!allowed) log(`security: blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  const csp = windowContentSecurityPolicy(enginePort);
  ses.webRequest.onHeadersReceived((details, callback) => {
    const page = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (!page || !isEngineUrl(details.url, enginePort)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
}

/** Rules for every web contents the app ever makes (windows, devtools, anything else). */
export function hardenAllWebContents(
  appOrigin: () => string | null,
  log: (line: string) => void,
): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (decideWindowOpen(url) === 'open-externally') void shell.openExternal(url);
      else log(`security: refused window.open(${url})`);
      return { action: 'deny' };
    });
    const guard = (event: { preventDefault(): void }, url: string) => {
      const origin = appOrigin();
      const decision = origin === null ? 'deny' : decideNavigation(url, origin);
      if (decision === 'allow') return;
      event.preventDefault();
      if (decision === 'open-externally') void shell.openExternal(url);
      else log(`security: refused navigation to ${url}`);
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export interface MainWindowOptions {
  preloadPath: string;
  iconPath: string | undefined;
  windowStatePath: string;
  /** `http://127.0.0.1:PORT/#token=…` */
  url: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = readJson(options.windowStatePath, WindowState.nullable(), null);
  const workAreas = [
    screen.getPrimaryDisplay(),
    ...screen.getAllDisplays().filter((display) => display.id !== screen.getPrimaryDisplay().id),
  ].map((display) => display.workArea);
  const bounds = restoreBounds(saved, workAreas);
  const window = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: 640,
    minHeight: 400,
    show: false,
    title: 'Logscope',
    backgroundColor: '#101418',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const normal = window.getNormalBounds();
    writeJson(options.windowStatePath, { ...normal, maximized: window.isMaximized() });
  });
  void window.loadURL(options.url);
  return window;
}
