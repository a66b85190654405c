import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuActions } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu) : []),
  ]);
}

function setUp(platform: NodeJS.Platform) {
  const called: string[] = [];
  const actions = new Proxy({} as MenuActions, {
    get: (_target, name: string) => () => called.push(name),
  });
  const items = flatten(menuTemplate(actions, platform));
  const click = (label: string) => {
    const item = items.find((entry) => entry.label === label);
    expect(item, label).toBeDefined();
    (item!.click as () => void)();
  };
  return { items, called, click };
}

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)(
    'on %s has the usual roles and Logscope’s items',
    (platform) => {
      const { items, called, click } = setUp(platform);
      const roles = items.map((item) => item.role).filter(Boolean);
      expect(roles).toEqual(
        expect.arrayContaining(['editMenu', 'viewMenu', 'windowMenu', 'help', 'quit']),
      );
      click('New Connection…');
      click('Open Offline Folder…');
      click(platform === 'darwin' ? 'Settings…' : 'Preferences…');
      click('Documentation');
      click('Open Logs Folder');
      expect(called).toEqual([
        'newConnection',
        'openOfflineFolder',
        'preferences',
        'documentation',
        'logsFolder',
      ]);
    },
  );

  it('puts the app menu first on macOS only', () => {
    expect(menuTemplate({} as MenuActions, 'darwin')[0]!.label).toBe('Logscope');
    expect(menuTemplate({} as MenuActions, 'linux')[0]!.label).toBe('File');
  });
});
