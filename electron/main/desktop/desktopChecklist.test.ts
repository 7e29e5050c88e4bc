import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * SECURITY.md's Electron checklist for the desktop integration, read from the source (no
 * Electron binary runs here; test/security/electronChecklist.test.ts reads electron/main itself).
 * Comments are stripped first, so a comment can neither satisfy nor break a check.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD_FILE = path.join(HERE, '..', '..', 'preload', 'preload.cts');

function codeOf(file: string): string {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

const desktopText = fs
  .readdirSync(HERE)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .map((name) => codeOf(path.join(HERE, name)))
  .join('\n');

describe('the desktop integration (electron/main/desktop)', () => {
  it('adds no IPC handler, window, page or way out of the app', () => {
    expect(desktopText).not.toMatch(/ipcMain|ipcRenderer/);
    expect(desktopText).not.toMatch(/new BrowserWindow|webPreferences|loadURL|loadFile/);
    expect(desktopText).not.toMatch(/shell\.|openExternal|openPath|child_process|exec\(/);
  });

  it('talks to the page only by sending app actions on their channel', () => {
    const sends = desktopText.match(/\.send\([^)]*\)/g) ?? [];
    expect(sends).toEqual(['.send(APP_ACTION_CHANNEL, action)']);
  });

  it('shows notifications in one place, whose body is escaped where the OS reads it as markup', () => {
    const made = desktopText.match(/new \w*Notification\(.*/g) ?? [];
    expect(made).toEqual(['new Notification({ title: content.title, body: inertNotificationBody(content.body, platform) });']);
  });

  it('the preload passes app actions on only for the kinds the page knows, without the IPC event', () => {
    const preload = codeOf(PRELOAD_FILE);
    expect(preload).toMatch(/!APP_ACTION_KINDS\.includes\(kind\)\)\s*return/);
    expect(preload).toMatch(/const onMessage = \(_ipcEvent: unknown, action: unknown\) =>/);
    expect(preload).toMatch(/listener\(typeof taskId === 'string' \? \{ kind, taskId \} : \{ kind \}\)/);
  });
});
