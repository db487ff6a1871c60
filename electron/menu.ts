/**
 * The native menu as a plain template (type-only Electron import), so its items can be checked
 * without the binary. Items the UI carries out (Save Fixture, Run...) are sent to it as
 * `menuCommand` events; the rest run in the main process.
 */
import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';

export interface MenuActions {
  openPlugin(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  reloadPlugin(): void;
  saveFixture(): void;
  runCall(): void;
  cancelCall(): void;
  showAbi(): void;
}

export function menuTemplate(
  actions: MenuActions,
  recent: string[],
  platform: NodeJS.Platform = process.platform,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((file) => ({
          label: `${path.basename(file)}  —  ${path.dirname(file)}`,
          click: () => actions.openRecent(file),
        })),
        { type: 'separator' },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent plugins', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Plugin…', accelerator: 'CmdOrCtrl+O', click: () => actions.openPlugin() },
      { label: 'Open Recent', submenu: recentItems },
      { label: 'Reload Plugin', accelerator: 'CmdOrCtrl+Shift+R', click: () => actions.reloadPlugin() },
      { type: 'separator' },
      { label: 'Save Fixture', accelerator: 'CmdOrCtrl+S', click: () => actions.saveFixture() },
      { type: 'separator' },
      { label: 'Run Handler', accelerator: 'CmdOrCtrl+Enter', click: () => actions.runCall() },
      { label: 'Cancel Call', accelerator: 'CmdOrCtrl+.', click: () => actions.cancelCall() },
      ...(mac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ label: 'Native Handler ABI', accelerator: 'F1', click: () => actions.showAbi() }],
  };
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    file,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    { role: 'windowMenu' },
    help,
  ];
}
