import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { failure } from '../../../shared/contract.js';
import type { Failure } from '../../../shared/contract.js';
import type { ReplaySource } from '../../../shared/contracts/replay.js';
import { errorMessage } from '../util/errorMessage.js';
import { redactStrings } from '../redaction/redactSecrets.js';
import { eventLoopSlices } from './eventLoopSlices.js';
import { ImportSink } from './importSink.js';
import { readLines } from './lineReader.js';
import type { Redact } from './redactCastLine.js';
import type { ReplayStore } from './replayStore.js';
import { AsciicastImporter, isAsciicastHeader } from './importers/asciicastImporter.js';
import { ClaudeImporter, isClaudeLine } from './importers/claudeImporter.js';
import { CodexImporter, isCodexLine } from './importers/codexImporter.js';
import { FlotillaImporter, isFlotillaHeader } from './importers/flotillaImporter.js';
import { ImportError, parseJsonLine, type Importer, type ImporterContext } from './importers/importer.js';

/**
 * `replay.import`: reads a file line by line (never whole), recognises its format from its first
 * line, and imports it as a new replay, all or nothing (importSink.ts). Records of unknown types
 * are skipped and counted; a file that cannot be imported gives a one-line reason.
 */

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
}

export interface ImportDeps {
  store: ReplayStore;
  /** Where staging files go (FLOTILLA_HOME/imports); leftovers of a crash are deleted at start. */
  stagingDir: string;
  redact: Redact;
  clock: () => number;
}

export type ImportResult =
  | { ok: true; id: string; format: Exclude<ReplaySource, 'local'>; imported: number; skipped: number; skippedKinds: Record<string, number> }
  | Failure;

/** 250 ms: a progress line four times a second reads as live without flooding the socket. */
const PROGRESS_INTERVAL_MS = 250;
const FORMATS_READ = "Flotilla's export (.flotilla-replay.gz), a Codex CLI rollout (rollout-*.jsonl), a Claude Code transcript (*.jsonl) or an asciicast v2 recording (.cast)";

export async function importReplay(deps: ImportDeps, file: string, onProgress?: (progress: ImportProgress) => void): Promise<ImportResult> {
  const checked = checkFile(file);
  if (!checked.ok) return checked;
  const id = `imp-${crypto.randomUUID().slice(0, 8)}`;
  fs.mkdirSync(deps.stagingDir, { recursive: true, mode: 0o700 });
  const sink = new ImportSink(path.join(deps.stagingDir, `${id}.staging.db`), deps.redact);
  const ctx: ImporterContext = { sink, redact: deps.redact, fileName: path.basename(file), fileTime: checked.mtimeMs };
  let importer: Importer | null = null;
  let records = 0;
  let lastProgressAt = 0;
  const progress = (bytesRead: number) => {
    const now = Date.now();
    if (!onProgress || (now - lastProgressAt < PROGRESS_INTERVAL_MS && bytesRead < checked.size)) return;
    lastProgressAt = now;
    onProgress({ bytesRead, totalBytes: checked.size, records });
  };
  const slices = eventLoopSlices();
  try {
    for await (const line of readLines(file, { onBytes: progress })) {
      const pause = slices.pause();
      if (pause) await pause;
      if (line.kind === 'oversized') {
        if (importer?.format === 'flotilla') throw new ImportError(`line ${line.number} is ${line.bytes} bytes, past any record: the file is corrupt`);
        sink.skip('oversized line');
        continue;
      }
      if (!importer) {
        if (line.text.trim() === '') continue;
        importer = importerFor(line.text, ctx);
      }
      records += 1;
      importer.line(line.text, line.number, line.isTerminated);
    }
    if (!importer) return failure('invalid_input', `${ctx.fileName} has no records (only blank lines)`);
    const title = importer.finish();
    const skipped = Object.values(sink.skipped).reduce((sum, count) => sum + count, 0);
    if (sink.events === 0) return failure('invalid_input', `nothing to import from ${ctx.fileName}: ${describeSkipped(sink.skipped, skipped)}`);
    sink.finish();
    const clean = { title: deps.redact(title), fileName: deps.redact(ctx.fileName) };
    deps.store.adopt(sink.file, { id, source: importer.format, ...clean, importedAt: deps.clock(), skipped: redactStrings(sink.skipped, deps.redact) });
    onProgress?.({ bytesRead: checked.size, totalBytes: checked.size, records });
    return { ok: true, id, format: importer.format, imported: sink.events, skipped, skippedKinds: sink.skipped };
  } catch (error) {
    if (error instanceof ImportError) return failure('invalid_input', `cannot import ${ctx.fileName}: ${error.message}`);
    if (isGzipError(error)) return failure('invalid_input', `cannot import ${ctx.fileName}: it is cut short or corrupt (${errorMessage(error)})`);
    if (isFileError(error)) return failure('invalid_input', `cannot read ${ctx.fileName}: ${errorMessage(error)}`);
    throw error;
  } finally {
    sink.discard();
  }
}

/** Staging files a crashed import left behind: never adopted, safe to delete. */
export function removeStaleStaging(stagingDir: string): void {
  if (!fs.existsSync(stagingDir)) return;
  for (const name of fs.readdirSync(stagingDir)) {
    if (/^imp-[\w-]+\.staging\.db(-journal|-wal|-shm)?$/.test(name)) fs.rmSync(path.join(stagingDir, name), { force: true });
  }
}

function checkFile(file: string): { ok: true; size: number; mtimeMs: number } | Failure {
  // The host's working folder is not the caller's: a relative path would name another file.
  if (!path.isAbsolute(file)) return failure('invalid_input', `the path must be absolute, not ${file}`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? failure('not_found', `no file at ${file}`) : failure('invalid_input', `cannot read ${file}: ${errorMessage(error)}`);
  }
  if (!stat.isFile()) return failure('invalid_input', `${file} is not a file`);
  if (stat.size === 0) return failure('invalid_input', `${path.basename(file)} is empty`);
  return { ok: true, size: stat.size, mtimeMs: Math.round(stat.mtimeMs) };
}

function importerFor(firstLine: string, ctx: ImporterContext): Importer {
  const first = parseJsonLine(firstLine);
  if (first === undefined) throw new ImportError(`its first line is not JSON; Flotilla imports ${FORMATS_READ}`);
  if (isFlotillaHeader(first)) return new FlotillaImporter(ctx);
  if (isAsciicastHeader(first)) return new AsciicastImporter(ctx);
  if (isCodexLine(first)) return new CodexImporter(ctx);
  if (isClaudeLine(first)) return new ClaudeImporter(ctx);
  throw new ImportError(`its first record is of no format Flotilla imports: ${FORMATS_READ}`);
}

function describeSkipped(skipped: Record<string, number>, total: number): string {
  if (total === 0) return 'it holds no events';
  const kinds = Object.entries(skipped)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  return `all ${total} records were skipped (${kinds})`;
}

function isGzipError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function isFileError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EISDIR' || code === 'EIO' || code === 'ENOENT' || code === 'EPERM';
}
