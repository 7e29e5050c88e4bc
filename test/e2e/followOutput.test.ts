import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { FLOTILLA_BIN, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { hostPool, openWorld, type HostPool } from './support/world.js';

/**
 * A running command's output goes only to those who follow its task: the task view shows it
 * live, `task log --follow` prints it live, and a board with no task open receives none of it
 * (while still seeing the task's activity and status). The command waits for a flag file the
 * test writes, so "live" means output printed after the view and the CLI were already following.
 * Each test runs its own task on its own host.
 */

interface TaskJson {
  id: string;
  status: string;
  worktreePath: string;
}

const TITLE = 'Wait for the flag';
// What it prints never appears in the command itself: the view shows both.
const COMMAND = "printf 'waiting %s\\n' for-the-flag; while [ ! -e flag.txt ]; do sleep 0.1; done; printf 'got %s\\n' the-flag";
const BEFORE = 'waiting for-the-flag';
const AFTER = 'got the-flag';

let model: ModelServer;
let browser: Browser;
let hosts: HostPool;

/** Counts, inside the page, the command output frames its WebSockets receive. */
const OUTPUT_FRAME_COUNTER = `(() => {
  const Native = window.WebSocket;
  window.__outputFrames = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data === 'string' && event.data.includes('"kind":"command_output"')) window.__outputFrames += 1;
      });
    }
  };
})()`;

async function outputFrames(page: Page): Promise<number> {
  return Number(await page.evaluate('window.__outputFrames'));
}

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [{ name: 'flag', steps: [{ type: 'shell', command: COMMAND }, { type: 'message', text: 'The flag came.' }] }],
  });
  browser = await launchChromium();
  hosts = hostPool({ model });
});

afterAll(async () => {
  await hosts?.close();
  await browser?.close();
  await model?.close();
});

interface Following {
  flotilla: FlotillaServer;
  /** The page that opens the task. */
  viewPage: Page;
  /** A page that only shows the board. */
  boardPage: Page;
  /** The running task: its command printed BEFORE and waits for flag.txt. */
  task: TaskJson;
}

/** Its own host and repo, two pages counting output frames, and the task started. */
async function startFollowing(): Promise<Following> {
  const world = await openWorld({ browser, hosts, page: { initScript: OUTPUT_FRAME_COUNTER } });
  const repo = await world.repo({ files: { 'README.md': '# flags\n' } });
  const boardPage = await world.openPage({ initScript: OUTPUT_FRAME_COUNTER });
  for (const page of [world.page, boardPage]) await page.getByRole('region', { name: 'In progress' }).waitFor();
  const task = await world.api.newTask({ repo: repo.path, prompt: 'Wait for a flag file', title: TITLE });
  return { flotilla: world.flotilla, viewPage: world.page, boardPage, task };
}

/** The task view open on the running command, which has printed BEFORE. */
async function openCommand(viewPage: Page) {
  const card = viewPage.getByRole('region', { name: 'In progress' }).getByRole('article', { name: TITLE });
  await card.waitFor({ timeout: 30_000 });
  await card.getByRole('button').first().click();
  const command = viewPage.getByRole('region', { name: `Task: ${TITLE}` }).getByRole('group', { name: `Command: ${COMMAND}` });
  await command.getByText(BEFORE).waitFor({ timeout: 30_000 });
  return command;
}

describe('following a running command’s output', () => {
  it('the task view shows the output so far, then what the command prints next, live', async () => {
    const { viewPage } = await startFollowing();
    const card = viewPage.getByRole('region', { name: 'In progress' }).getByRole('article', { name: TITLE });
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('button').first().click();
    const command = viewPage.getByRole('region', { name: `Task: ${TITLE}` }).getByRole('group', { name: `Command: ${COMMAND}` });
    await command.getByText(BEFORE).waitFor({ timeout: 30_000 });
    expect(await command.textContent()).not.toContain(AFTER);
  });

  it('task log --follow prints the history, then the live output, and returns when the task settles', async () => {
    const { flotilla, viewPage, task } = await startFollowing();
    await openCommand(viewPage);

    const cli = spawn(process.execPath, [FLOTILLA_BIN, 'task', 'log', task.id, '--follow'], {
      env: { ...process.env, FLOTILLA_HOME: flotilla.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    cli.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    await expect.poll(() => stdout, { timeout: 30_000 }).toContain(`  ${BEFORE}`);

    // Both are following now: what the command prints from here on can only reach them live.
    fs.writeFileSync(path.join(task.worktreePath, 'flag.txt'), 'go\n');
    const command = viewPage.getByRole('region', { name: `Task: ${TITLE}` }).getByRole('group', { name: `Command: ${COMMAND}` });
    await command.getByText(AFTER).waitFor({ timeout: 30_000 });

    expect(await exited, stderr).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const start = lines.indexOf(`$ ${COMMAND}`);
    expect(lines.slice(start, start + 5)).toEqual([`$ ${COMMAND}`, `  ${BEFORE}`, `  ${AFTER}`, '[exit 0]', 'agent: The flag came.']);
    expect(lines.at(-1)).toMatch(/^-- review/);
    expect(stdout.split(AFTER)).toHaveLength(2);
  });

  it('a board with no task open got the task’s status but none of its output', async () => {
    const { viewPage, boardPage, task } = await startFollowing();
    // The view follows the command while it prints the rest; the board only shows the board.
    const command = await openCommand(viewPage);
    fs.writeFileSync(path.join(task.worktreePath, 'flag.txt'), 'go\n');
    await command.getByText(AFTER).waitFor({ timeout: 30_000 });

    await boardPage.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE }).waitFor({ timeout: 30_000 });
    expect(await outputFrames(viewPage)).toBeGreaterThan(0);
    expect(await outputFrames(boardPage)).toBe(0);
  });
});
