/**
 * The application menu: the platform's usual roles (edit, view, window) plus Logscope's own
 * items. Built as a plain template so it is tested without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newConnection(): void;
  openOfflineFolder(): void;
  preferences(): void;
  documentation(): void;
  logsFolder(): void;
}

export function menuTemplate(
  actions: MenuActions,
  platform: NodeJS.Platform = process.platform,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const preferences: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Preferences…',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.preferences(),
  };
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'New Connection…',
        accelerator: 'CmdOrCtrl+N',
        click: () => actions.newConnection(),
      },
      {
        label: 'Open Offline Folder…',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.openOfflineFolder(),
      },
      ...(mac ? [] : [{ type: 'separator' } as const, preferences]),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  return [
    ...(mac
      ? [
          {
            label: 'Logscope',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              preferences,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Documentation', click: () => actions.documentation() },
        { label: 'Open Logs Folder', click: () => actions.logsFolder() },
      ],
    },
  ];
}
