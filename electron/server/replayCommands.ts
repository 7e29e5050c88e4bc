import crypto from 'node:crypto';
import fs from 'node:fs';
import type { ReplaySummary } from '../../shared/contracts/replay.js';
import type { DecisionPoint } from '../../shared/model/decisionPoints.js';
import { inertLine } from '../../shared/model/inertText.js';
import { formatTable } from './cliFormat.js';
import { resolvePathArgument } from './cliPaths.js';
import { arg, type ClientCommand, type CommandContext } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';

/** `flotilla replay list|show|export|import`: recordings to replay, shared as one file. */

/** 8 MiB: a smaller file imports in well under a second; a bigger one says how far it got. */
const PROGRESS_FROM_BYTES = 8 * 1024 * 1024;
/** 1 s between progress lines on stderr. */
const PROGRESS_EVERY_MS = 1000;
const RELATIVE_TIME = /^(\d+)\s*(m|min|h|d)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO date or time (`2026-12-07T09:00`), or how long ago (`30m`, `2h`, `1d`); ms since the epoch. */
export function parseSince(text: string, now: number): number | null {
  const relative = RELATIVE_TIME.exec(text.trim());
  if (relative) return now - Number(relative[1]) * (UNIT_MS[relative[2] ?? 'm'] ?? 0);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const listCommand: ClientCommand = {
  name: 'replay list',
  usage: 'replay list',
  options: {},
  positionals: [],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('replay.list', {}), ({ replays }) =>
      printed(ctx, replays, replays.length === 0 ? 'No recordings yet: the journal is empty and nothing was imported.' : formatReplayTable(replays)),
    );
  },
};

const showCommand: ClientCommand = {
  name: 'replay show',
  usage: 'replay show ID',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('replay.show', { id: arg(ctx, 0) }), ({ replay }) => {
      const head = [
        inertLine(`${replay.id}  ${replay.source}  ${replay.title}`),
        `${when(replay.startedAt)}, ${duration(replay.durationMs)}, ${replay.tasks} task(s), ${replay.events} events`,
      ];
      const tasks = replay.taskList.map((task) => inertLine(`  ${task.id}  ${task.status ?? '?'}  ${task.title}  (${task.events} events)`));
      const points = replay.decisionPoints.length === 0 ? ['No decision points.'] : ['Decision points:', ...replay.decisionPoints.map(formatDecision)];
      const skipped = Object.entries(replay.skipped).map(([kind, count]) => inertLine(`  skipped on import: ${count} ${kind}`));
      return printed(ctx, replay, [...head, 'Tasks:', ...tasks, ...points, ...skipped].join('\n'));
    });
  },
};

const exportCommand: ClientCommand = {
  name: 'replay export',
  usage: 'replay export (--task ID | --since TIME) --out FILE   (TIME: an ISO date, or 30m, 2h, 1d ago)',
  options: { task: { type: 'string' }, since: { type: 'string' }, out: { type: 'string' } },
  positionals: [],
  required: ['out'],
  validate: (values) => {
    const hasTask = typeof values.task === 'string';
    const hasSince = typeof values.since === 'string';
    if (hasTask === hasSince) return 'replay export needs exactly one of --task ID and --since TIME';
    if (hasSince && parseSince(String(values.since), Date.now()) === null) return `--since must be an ISO date (2026-12-07T09:00) or how long ago (30m, 2h, 1d), not '${String(values.since)}'`;
    return undefined;
  },
  async run(ctx) {
    const out = resolvePathArgument(String(ctx.values.out), ctx.io);
    const selection = typeof ctx.values.task === 'string' ? { taskId: ctx.values.task } : { since: parseSince(String(ctx.values.since), Date.now()) ?? 0 };
    return replied(ctx, ctx.client.invoke('replay.export', { ...selection, out }), (result) => {
      const missing = result.skipped['missing recording'] ?? 0;
      const note = missing > 0 ? ` (${missing} recording(s) no longer on disk left out)` : '';
      return printed(ctx, result, inertLine(`Exported ${result.events} events and ${result.blobs} terminal recording(s) to ${result.path} (${kib(result.bytes)})${note}`));
    });
  },
};

const importCommand: ClientCommand = {
  name: 'replay import',
  usage: 'replay import FILE   (a Flotilla export, a Codex CLI rollout-*.jsonl, a Claude Code .jsonl or an asciicast v2 .cast)',
  options: {},
  positionals: ['FILE'],
  async run(ctx) {
    const file = resolvePathArgument(arg(ctx, 0), ctx.io);
    const stopProgress = await followProgress(ctx, file);
    const call = ctx.client.invoke('replay.import', { path: file, ...(stopProgress ? { progressId: stopProgress.id } : {}) }).finally(() => stopProgress?.stop());
    return replied(ctx, call, (result) => {
      const skipped = Object.entries(result.skippedKinds).map(([kind, count]) => `${count} ${kind}`);
      const partial = result.skipped === 0 ? '' : `; skipped ${result.skipped} record(s): ${skipped.join(', ')}`;
      return printed(
        ctx,
        { id: result.id, imported: result.imported, skipped: result.skipped, format: result.format, skippedKinds: result.skippedKinds },
        inertLine(`Imported ${result.imported} events as ${result.id} (${result.format})${partial}. Show it: flotilla replay show ${result.id}`),
      );
    });
  },
};

export const REPLAY_COMMANDS: Record<string, ClientCommand> = { list: listCommand, show: showCommand, export: exportCommand, import: importCommand };

/** For a big file: progress lines on stderr from the host's `replay.onDidProgress` events, until `stop`. */
async function followProgress(ctx: CommandContext, file: string): Promise<{ id: string; stop: () => void } | null> {
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size < PROGRESS_FROM_BYTES) return null;
  const opened = await ctx.client.openEvents();
  if (!opened.ok) return null;
  const id = crypto.randomUUID();
  let lastPrintedAt = 0;
  const off = opened.value.on((event) => {
    if (event.event !== 'replay.onDidProgress' || event.payload.progressId !== id) return;
    const now = Date.now();
    if (now - lastPrintedAt < PROGRESS_EVERY_MS) return;
    lastPrintedAt = now;
    const { bytesRead, totalBytes, records } = event.payload;
    const percent = totalBytes === 0 ? 100 : Math.floor((bytesRead / totalBytes) * 100);
    ctx.io.stderr(`flotilla: importing: ${percent}% (${mib(bytesRead)} of ${mib(totalBytes)}, ${records} records)`);
  });
  return {
    id,
    stop: () => {
      off();
      opened.value.close();
    },
  };
}

function formatReplayTable(replays: readonly ReplaySummary[]): string {
  return formatTable(
    ['ID', 'SOURCE', 'STARTED', 'DURATION', 'TASKS', 'EVENTS', 'TITLE'],
    replays.map((replay) => [
      replay.id,
      replay.source,
      when(replay.startedAt),
      duration(replay.startedAt === null || replay.endedAt === null ? 0 : replay.endedAt - replay.startedAt),
      String(replay.tasks),
      String(replay.events),
      inertLine(replay.title),
    ]),
  );
}

function formatDecision(point: DecisionPoint): string {
  const detail = point.expert.detail ? `: ${point.expert.detail.split('\n')[0]?.slice(0, 80) ?? ''}` : '';
  return inertLine(`  ${when(point.at)}  ${point.kind.padEnd(9)}  ${point.taskId}  expert: ${point.expert.action}${detail}`);
}

function when(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function kib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : mib(bytes);
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
