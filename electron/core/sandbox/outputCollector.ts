import { StringDecoder } from 'node:string_decoder';

export type OutputSource = 'stdout' | 'stderr';

export interface OutputCollectorOptions {
  /** Characters kept for the result; past them nothing more is kept or forwarded. */
  maxChars: number;
  /** Live output, decoded; after the cap it receives one notice and then nothing. */
  onOutput?: (chunk: string) => void;
  /** Called once, when output first goes past the cap (the runner stops the command). */
  onCapReached?: () => void;
}

/**
 * stdout and stderr of one command, interleaved in arrival order and capped. Each stream
 * has its own decoder, so a UTF-8 character split across two reads (or two pipes) never
 * turns into U+FFFD.
 */
export class OutputCollector {
  private readonly decoders: Record<OutputSource, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  private kept = '';
  private droppedBytes = 0;
  private isOverCap = false;

  constructor(private readonly opts: OutputCollectorOptions) {}

  push(source: OutputSource, data: Buffer): void {
    this.accept(this.decoders[source].write(data));
  }

  /** Flushes bytes the decoders still hold (an incomplete character becomes U+FFFD). */
  end(): void {
    this.accept(this.decoders.stdout.end());
    this.accept(this.decoders.stderr.end());
  }

  get isTruncated(): boolean {
    return this.isOverCap;
  }

  /** What the result shows: the kept text, plus a visible marker when some was dropped. */
  get output(): string {
    return this.isOverCap ? `${this.kept}\n[output truncated: ${this.droppedBytes} more bytes]` : this.kept;
  }

  private accept(text: string): void {
    if (text === '') return;
    if (this.isOverCap) {
      this.droppedBytes += Buffer.byteLength(text);
      return;
    }
    const room = this.opts.maxChars - this.kept.length;
    if (text.length <= room) {
      this.kept += text;
      this.opts.onOutput?.(text);
      return;
    }
    // Never cut between the two halves of a surrogate pair.
    let cut = Math.max(0, room);
    if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
    const head = text.slice(0, cut);
    this.kept += head;
    this.droppedBytes += Buffer.byteLength(text.slice(cut));
    this.isOverCap = true;
    if (head !== '') this.opts.onOutput?.(head);
    this.opts.onOutput?.(`\n[output truncated: more than ${this.opts.maxChars} characters; the command was stopped]`);
    this.opts.onCapReached?.();
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
