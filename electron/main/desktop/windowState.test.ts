import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualTimers } from './testing/manualTimers.js';
import { installDesktopIntegration } from './index.js';
import { createFakeElectron, FakeWindow } from './testing/fakeElectron.js';
import { loadWindowState, SAVE_DELAY_MS, trackWindowState, visibleBounds, windowStateFile } from './windowState.js';
import type { Handlers } from '../../../shared/contract.js';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});
function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-window-'));
  homes.push(home);
  return home;
}

const laptop = { workArea: { x: 0, y: 25, width: 1440, height: 875 } };
const monitorOnRight = { workArea: { x: 1440, y: 0, width: 2560, height: 1400 } };

describe('where a saved window opens', () => {
  it('where it was, when that is on a display', () => {
    const saved = { x: 1600, y: 100, width: 1200, height: 800 };
    expect(visibleBounds(saved, [laptop, monitorOnRight], laptop)).toEqual(saved);
  });

  it('moved in from the edge of the display it mostly covers, and shrunk to fit it', () => {
    expect(visibleBounds({ x: 1300, y: -40, width: 1000, height: 2000 }, [laptop, monitorOnRight], laptop)).toEqual({ x: 1440, y: 0, width: 1000, height: 1400 });
    expect(visibleBounds({ x: -300, y: 700, width: 900, height: 600 }, [laptop], laptop)).toEqual({ x: 0, y: 300, width: 900, height: 600 });
  });

  it('centred on the primary display when its display is gone (a monitor unplugged)', () => {
    expect(visibleBounds({ x: 3000, y: 200, width: 1200, height: 800 }, [laptop], laptop)).toEqual({ x: 120, y: 63, width: 1200, height: 800 });
  });

  it('never smaller than the board needs, unless the display itself is smaller', () => {
    expect(visibleBounds({ x: 10, y: 40, width: 200, height: 100 }, [laptop], laptop)).toMatchObject({ width: 720, height: 480 });
  });
});

describe('saving the window’s size and place', () => {
  it('writes once the moves stop, atomically, and the next start reads it back', async () => {
    const home = tempHome();
    const timers = manualTimers();
    const window = new FakeWindow();
    const flush = trackWindowState(window, home, { timers });
    for (let x = 10; x <= 300; x += 10) window.moveTo(x, 50);
    // A drag is dozens of events: one timer waits for the end of it, nothing is written yet.
    expect(timers.pending).toHaveLength(1);
    expect(timers.pending[0]?.ms).toBe(SAVE_DELAY_MS);
    expect(fs.existsSync(windowStateFile(home))).toBe(false);
    timers.fire();
    await flush();
    expect(loadWindowState(home)).toEqual({ x: 300, y: 50, width: 1280, height: 820, isMaximized: false });
    // Written beside and renamed over: no temporary file is left for a reader to trip on.
    expect(fs.readdirSync(home)).toEqual(['window-state.json']);
  });

  it('saves at once when the window closes, with the size it has when not maximized', async () => {
    const home = tempHome();
    const window = new FakeWindow();
    const flush = trackWindowState(window, home, { timers: manualTimers() });
    window.setBounds({ width: 1000, height: 700 });
    window.maximize();
    window.emit('close');
    await flush();
    expect(loadWindowState(home)).toMatchObject({ width: 1000, height: 700, isMaximized: true });
  });

  it('ignores a file that is not its own: the window opens at its default size', () => {
    const home = tempHome();
    fs.writeFileSync(windowStateFile(home), '{"x": "left"}');
    expect(loadWindowState(home)).toBeNull();
    fs.writeFileSync(windowStateFile(home), 'not json');
    expect(loadWindowState(home)).toBeNull();
  });

  it('restores a new window before it is shown, maximized once it is ready', async () => {
    const home = tempHome();
    fs.writeFileSync(windowStateFile(home), JSON.stringify({ x: 5000, y: 5000, width: 1000, height: 700, isMaximized: true }));
    const electron = createFakeElectron({ displays: [laptop] });
    const host = { handlers: { 'tasks.list': async () => ({ tasks: [] }) } as Partial<Handlers> as Handlers, onEvent: () => () => undefined };
    const dispose = installDesktopIntegration(electron, { host, getWindow: () => null, home, checkForUpdates: () => undefined, argv: [], platform: 'linux' });
    const window = electron.app.createWindow(new FakeWindow());
    expect(window.bounds).toEqual({ x: 220, y: 113, width: 1000, height: 700 });
    expect(window.isMaximized()).toBe(false);
    window.emit('ready-to-show');
    expect(window.isMaximized()).toBe(true);
    // macOS: the window closed, the app stayed; the next one comes back where that one was.
    window.moveTo(300, 200);
    window.emit('close');
    const reopened = electron.app.createWindow(new FakeWindow());
    expect(reopened.bounds).toEqual({ x: 300, y: 200, width: 1000, height: 700 });
    await dispose();
  });
});
