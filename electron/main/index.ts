/**
 * Logscope's Electron main process: one instance, one window onto the engine's page, the broker
 * and the engine as supervised utility processes, native dialogs and the OS credential store for
 * the page through the preload's small API, and an orderly quit (engine, then broker).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  BrowserWindow,
  Menu,
  Notification,
  app,
  dialog,
  ipcMain,
  safeStorage,
  shell,
  utilityProcess,
} from 'electron';
import { cleanEnvironment } from '../../launcher/nodeProcess';
import type { MenuCommand, ServiceNotice } from '../../engine/api/desktop';
import { eventChannels } from '../preload/channels';
import { desktopHandlers } from './desktopHandlers';
import { menuTemplate } from './menu';
import { RotatingLog } from './rotatingLog';
import { SecretStore } from './secretStore';
import { Services } from '../../launcher/services';
import { readSettings, writeJson } from './settingsStore';
import { adaptUtilityProcess } from './utilityProcessAdapter';
import { createMainWindow, hardenAllWebContents, hardenSession } from './window';

const DOCUMENTATION_URL = 'https://github.com/logscope/logscope#readme';

// dist/electron/main.cjs → dist/
const distDir = join(__dirname, '..');
const userData = app.getPath('userData');
const settingsPath = join(userData, 'settings.json');

app.setAppLogsPath();
const logsDir = app.getPath('logs');
const logs = {
  main: new RotatingLog({ dir: logsDir, name: 'main' }),
  broker: new RotatingLog({ dir: logsDir, name: 'broker' }),
  engine: new RotatingLog({ dir: logsDir, name: 'engine' }),
};
const log = (line: string) => logs.main.write(line);

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;
let appOrigin: string | null = null;
const token = randomBytes(32).toString('hex');

function send(channel: string, payload: MenuCommand | ServiceNotice): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
}

function tellUser(notice: ServiceNotice): void {
  log(`${notice.service}: ${notice.kind}: ${notice.message}`);
  send(eventChannels.serviceNotice, notice);
  if (notice.kind === 'crashed' && Notification.isSupported()) {
    const seconds = Math.ceil((notice.restartInMs ?? 0) / 1000);
    new Notification({
      title: `Logscope: the ${notice.service} stopped`,
      body: `${notice.message}\nRestarting in ${seconds} s.`,
    }).show();
  }
  if (notice.kind === 'failed') {
    void dialog.showMessageBox({
      type: 'error',
      title: 'Logscope',
      message: `The ${notice.service} keeps failing and was not restarted again.`,
      detail: `${notice.message}\n\nLogs: ${logsDir}`,
    });
  }
}

function secretStore(): SecretStore {
  return new SecretStore(join(userData, 'secrets.json'), {
    // Linux without a keyring gives 'basic_text', which is not encryption worth the name.
    available: () =>
      safeStorage.isEncryptionAvailable() &&
      (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
  });
}

function registerIpc(): void {
  const secrets = secretStore();
  const router = desktopHandlers(
    {
      engineEndpoint: () => (appOrigin ? { url: appOrigin, token } : null),
      pickFolder: async (options) => {
        const result = await dialog.showOpenDialog({
          properties: ['openDirectory'],
          ...(options.title ? { title: options.title } : {}),
          ...(options.defaultPath ? { defaultPath: options.defaultPath } : {}),
        });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      saveFile: async (options) => {
        const result = await dialog.showSaveDialog({
          defaultPath: join(app.getPath('downloads'), options.defaultName),
          ...(options.title ? { title: options.title } : {}),
          ...(options.filters ? { filters: options.filters } : {}),
        });
        return result.canceled ? null : (result.filePath ?? null);
      },
      secrets: {
        available: () => secrets.available(),
        store: (name, value) => secrets.store(name, value),
        retrieve: (name) => secrets.retrieve(name),
        remove: (name) => secrets.remove(name),
      },
      revealInFileManager: (path) => shell.showItemInFolder(path),
      appVersion: () => app.getVersion(),
      readSettings: () => readSettings(settingsPath),
      writeSettings: async (settings) => {
        writeJson(settingsPath, settings);
        log('settings: saved');
        const answer = await dialog.showMessageBox({
          type: 'question',
          buttons: ['Restart Now', 'Later'],
          defaultId: 0,
          cancelId: 1,
          message: 'Restart Logscope to use the new settings?',
        });
        if (answer.response === 0) {
          app.relaunch();
          app.quit();
        }
      },
    },
    {
      webContentsIds: () => BrowserWindow.getAllWindows().map((window) => window.webContents.id),
      appOrigin: () => appOrigin,
    },
    log,
  );
  for (const channel of router.channels()) {
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      router.dispatch(
        channel,
        {
          webContentsId: event.sender.id,
          frameUrl: event.senderFrame?.url,
          isMainFrame: event.senderFrame !== null && event.senderFrame.parent === null,
        },
        args,
      ),
    );
  }
}

function installMenu(): void {
  const template = menuTemplate({
    newConnection: () => send(eventChannels.menuCommand, { command: 'new-connection' }),
    openOfflineFolder: async () => {
      const result = await dialog.showOpenDialog({
        title: 'Open a Kafka log directory or a stopped Logscope data directory',
        properties: ['openDirectory'],
      });
      const path = result.filePaths[0];
      if (!result.canceled && path)
        send(eventChannels.menuCommand, { command: 'open-offline-folder', path });
    },
    preferences: () => send(eventChannels.menuCommand, { command: 'preferences' }),
    documentation: () => void shell.openExternal(DOCUMENTATION_URL),
    logsFolder: () => void shell.openPath(logsDir),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function startServices(): Promise<string> {
  const settings = readSettings(settingsPath);
  services = new Services({
    brokerScript: join(distDir, 'broker', 'cli.js'),
    engineScript: join(distDir, 'engine', 'cli.js'),
    staticDir: join(distDir, 'renderer'),
    dataDir: join(userData, 'data'),
    token,
    localBroker: settings.localBroker,
    spawn: (script, args, env) =>
      adaptUtilityProcess(
        utilityProcess.fork(script, args, {
          stdio: 'pipe',
          // No NODE_OPTIONS or ELECTRON_RUN_AS_NODE reaches a child.
          env: cleanEnvironment(env),
          serviceName: script.includes('broker') ? 'Logscope Broker' : 'Logscope Engine',
        }),
      ),
  });
  services.on('output', (service, line) => logs[service].write(line));
  services.on('notice', tellUser);
  const running = await services.start();
  return running.engineOrigin;
}

function showWindow(): void {
  if (!appOrigin) return;
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  const icon = join(distDir, '..', 'build', 'icons', '512x512.png');
  mainWindow = createMainWindow({
    preloadPath: join(__dirname, 'preload.cjs'),
    iconPath: process.platform === 'linux' && existsSync(icon) ? icon : undefined,
    windowStatePath: join(userData, 'window-state.json'),
    url: `${appOrigin}/#token=${token}`,
  });
  mainWindow.on('closed', () => (mainWindow = null));
}

let quitting: 'no' | 'stopping' | 'done' = 'no';
app.on('before-quit', (event) => {
  if (quitting === 'done') return;
  event.preventDefault();
  if (quitting === 'stopping') return;
  quitting = 'stopping';
  log('quit: stopping the engine, then the broker');
  void (services?.stop() ?? Promise.resolve()).finally(() => {
    log('quit: done');
    quitting = 'done';
    for (const file of Object.values(logs)) file.close();
    app.quit();
  });
});

if (!app.requestSingleInstanceLock()) {
  // Another Logscope is running; it receives 'second-instance' and shows its window.
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.enableSandbox();
  hardenAllWebContents(() => appOrigin, log);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());
  void app.whenReady().then(async () => {
    log(`start: Logscope ${app.getVersion()}, Electron ${process.versions.electron}`);
    registerIpc();
    installMenu();
    try {
      appOrigin = await startServices();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`start: failed: ${message}`);
      dialog.showErrorBox('Logscope could not start', `${message}\n\nLogs: ${logsDir}`);
      app.quit();
      return;
    }
    hardenSession(Number(new URL(appOrigin).port), log);
    showWindow();
  });
}
