import fs from 'node:fs';
import path from 'node:path';
import { ruleRedactor, type SecretRedactor } from '../redaction/redactSecrets.js';
import { StreamRedactor, type TimedText } from '../redaction/streamRedactor.js';

/**
 * Records every terminal session to its own file, so the journal refers to a session's bytes
 * instead of holding them (a flood would bloat SQLite and slow every query), and replay can
 * play them back with their timing. The format is asciicast v2 (one JSON header line, then
 * `[seconds, code, data]` lines: "o" output, "i" input, "r" resize "COLSxROWS", "m" marker),
 * which asciinema and its web player also read.
 *
 * Writing never slows the stream: events are queued in memory and appended every
 * `flushIntervalMs` by a write stream (the disk work happens off the main thread). If the disk
 * cannot keep up, output beyond `maxQueuedChars` is dropped from the recording (never from the
 * terminal) and a marker says how much.
 *
 * Secrets never reach the file: output and input are redacted on the way in (see
 * StreamRedactor: a secret split across chunks is still caught; each chunk keeps its own time).
 */
export interface TerminalRecorderOptions {
  /** Where the recordings go, e.g. FLOTILLA_HOME/recordings. Created on first use. */
  dir: string;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Default 200 ms. */
  flushIntervalMs?: number;
  /** Default 8 Mi chars per session waiting for the disk. */
  maxQueuedChars?: number;
  /** Masks secrets before they are queued; default: the rules alone (no user-marked values). */
  redactor?: SecretRedactor;
}

export interface RecordingStart {
  cols: number;
  rows: number;
  /** The program, for the header's `command` field. */
  command?: string;
  title?: string;
}

interface Recording {
  stream: fs.WriteStream;
  startedAt: number;
  queued: string[];
  queuedChars: number;
  droppedChars: number;
  timer: NodeJS.Timeout | null;
  /** One per stream: a secret in the output and one in the input are separate texts. */
  redactors: Record<'o' | 'i', StreamRedactor>;
  /** Time of the last queued event (ms): held-back chunks never go back in time. */
  lastAt: number;
  /** The end of the output's current line (raw, ≤ 200 chars): is the program asking for a password? */
  outputLineEnd: string;
}

const DEFAULT_FLUSH_INTERVAL_MS = 200;

/** A prompt for a secret at the end of the output's line: `[sudo] password for ann: `, `Enter passphrase for key '…': `. */
const SECRET_PROMPT = /(?:password|passphrase|passcode|\bpin|token|secret)[^\n]{0,80}:\s*$/i;

/** The current output line's last 200 chars (a prompt's end is all SECRET_PROMPT needs). */
function lineEndAfter(lineEnd: string, output: string): string {
  const lineStart = Math.max(output.lastIndexOf('\n'), output.lastIndexOf('\r'));
  return (lineStart >= 0 ? output.slice(lineStart + 1) : lineEnd + output).slice(-200);
}
const DEFAULT_MAX_QUEUED_CHARS = 8 * 1024 * 1024;

export class TerminalRecorder {
  private readonly recordings = new Map<string, Recording>();
  private readonly clock: () => number;

  constructor(private readonly opts: TerminalRecorderOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  /** The file a session is (or was) recorded to. */
  pathOf(sessionId: string): string {
    // Session ids are UUIDs (checked by the service); basename keeps any other string inside dir.
    return path.join(this.opts.dir, `${path.basename(sessionId)}.cast`);
  }

  /** Starts a session's recording; returns its path. A second start of the same session is ignored. */
  start(sessionId: string, start: RecordingStart): string {
    const file = this.pathOf(sessionId);
    if (this.recordings.has(sessionId)) return file;
    let fd: number;
    try {
      fs.mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
      // 0o600: a recording holds whatever the terminal showed, secrets included. Opened here so
      // the file exists once start returns; a disk that refuses loses the recording, not the terminal.
      fd = fs.openSync(file, 'a', 0o600);
    } catch (error) {
      console.error(`flotilla: terminal recording ${file} not started:`, error);
      return file;
    }
    const startedAt = this.clock();
    const stream = fs.createWriteStream(file, { fd });
    stream.on('error', (error) => console.error(`flotilla: terminal recording ${file} failed:`, error));
    const header = {
      version: 2,
      width: start.cols,
      height: start.rows,
      timestamp: Math.floor(startedAt / 1000),
      ...(start.command ? { command: start.command } : {}),
      ...(start.title ? { title: start.title } : {}),
    };
    stream.write(`${JSON.stringify(header)}\n`);
    const redactor = this.opts.redactor ?? ruleRedactor;
    this.recordings.set(sessionId, {
      stream,
      startedAt,
      queued: [],
      queuedChars: 0,
      droppedChars: 0,
      timer: null,
      redactors: { o: new StreamRedactor(redactor), i: new StreamRedactor(redactor) },
      lastAt: startedAt,
      outputLineEnd: '',
    });
    return file;
  }

  output(sessionId: string, data: string): void {
    this.record(sessionId, 'o', data);
  }

  input(sessionId: string, data: string): void {
    this.record(sessionId, 'i', data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.record(sessionId, 'r', `${cols}x${rows}`);
  }

  /** Writes what is queued and closes the file. Resolves once it is on disk. */
  end(sessionId: string): Promise<void> {
    const recording = this.recordings.get(sessionId);
    if (!recording) return Promise.resolve();
    this.recordings.delete(sessionId);
    this.release(recording, 'o', recording.redactors.o.flush());
    this.release(recording, 'i', recording.redactors.i.flush());
    this.flush(recording);
    return new Promise((resolve) => recording.stream.end(resolve));
  }

  /** Ends every recording. */
  async dispose(): Promise<void> {
    await Promise.all([...this.recordings.keys()].map((sessionId) => this.end(sessionId)));
  }

  private record(sessionId: string, code: 'o' | 'i' | 'r', data: string): void {
    const recording = this.recordings.get(sessionId);
    if (!recording || data.length === 0) return;
    const waiting = recording.queuedChars + recording.redactors.o.heldChars + recording.stream.writableLength;
    if (code === 'o' && waiting > (this.opts.maxQueuedChars ?? DEFAULT_MAX_QUEUED_CHARS)) {
      // The gap ends what was held back: write it (redacted) before the marker.
      if (recording.droppedChars === 0) this.release(recording, 'o', recording.redactors.o.flush());
      recording.droppedChars += data.length;
      return;
    }
    if (recording.droppedChars > 0) {
      this.queue(recording, 'm', `recording dropped ${recording.droppedChars} chars of output: the disk did not keep up`);
      recording.droppedChars = 0;
    }
    if (code === 'r') this.queue(recording, code, data);
    else {
      // Keys typed at a password prompt (sudo, ssh, git) are not echoed, so no rule sees them:
      // each is recorded as `*` (the timing stays), until Enter.
      const typed = code === 'i' && SECRET_PROMPT.test(recording.outputLineEnd) ? data.replace(/[^\r\n]/g, '*') : data;
      if (code === 'o') recording.outputLineEnd = lineEndAfter(recording.outputLineEnd, data);
      this.release(recording, code, recording.redactors[code].push(this.clock(), typed));
    }
  }

  private release(recording: Recording, code: 'o' | 'i', pieces: TimedText[]): void {
    for (const piece of pieces) this.queue(recording, code, piece.data, piece.at);
  }

  private queue(recording: Recording, code: 'o' | 'i' | 'r' | 'm', data: string, at = this.clock()): void {
    recording.lastAt = Math.max(recording.lastAt, at);
    const seconds = (recording.lastAt - recording.startedAt) / 1000;
    const line = `${JSON.stringify([Number(seconds.toFixed(6)), code, data])}\n`;
    recording.queued.push(line);
    recording.queuedChars += line.length;
    recording.timer ??= setTimeout(() => this.flush(recording), this.opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
  }

  private flush(recording: Recording): void {
    if (recording.timer) clearTimeout(recording.timer);
    recording.timer = null;
    if (recording.queued.length === 0) return;
    const text = recording.queued.join('');
    recording.queued = [];
    recording.queuedChars = 0;
    recording.stream.write(text);
  }
}

/** One event of a recording, as read back. */
export type RecordedEvent = { seconds: number; code: 'o' | 'i' | 'r' | 'm'; data: string };

/** Reads a recording back (tests, replay): its header and events, in order. */
export function readRecording(file: string): { header: Record<string, unknown>; events: RecordedEvent[] } {
  const [headerLine = '{}', ...lines] = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
  const header = JSON.parse(headerLine) as Record<string, unknown>;
  const events = lines.map((line) => {
    const [seconds, code, data] = JSON.parse(line) as [number, RecordedEvent['code'], string];
    return { seconds, code, data };
  });
  return { header, events };
}
