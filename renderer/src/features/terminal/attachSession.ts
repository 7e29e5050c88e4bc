import type { Terminal } from '@xterm/xterm';
import type { TerminalLink } from '../../transport/terminalLink.js';
import type { UiClient } from '../../transport/uiClient.js';
import { PacedWriter } from './pacedWriter.js';

/** The size the host gave with its snapshot, once that snapshot is on screen. */
export interface Attached {
  cols: number;
  rows: number;
}

/**
 * Attaches `term` to a host session: the host's snapshot first (screen and scrollback), then
 * the live output, paced and acknowledged as xterm parses it; what is typed goes to the pty.
 * A new connection has no attachments, so after a reconnect it attaches again from a fresh
 * snapshot. `onDetached` when an attach starts (the size must not follow the view until the
 * snapshot is on screen), `onAttached` when output follows it, `onError` with the reason an
 * attach failed (null when one succeeds).
 */
export function attachSession({
  client,
  link,
  sessionId,
  term,
  onDetached,
  onAttached,
  onError,
}: {
  client: UiClient;
  link: TerminalLink;
  sessionId: string;
  term: Terminal;
  onDetached: () => void;
  onAttached: (size: Attached) => void;
  onError: (message: string | null) => void;
}): { dispose(): void } {
  let isDisposed = false;
  let offOutput = () => {};

  async function attach(): Promise<void> {
    offOutput();
    onDetached();
    let reply;
    try {
      reply = await client.invoke('terminal.attach', { sessionId });
    } catch (e) {
      if (!isDisposed) onError(e instanceof Error ? e.message : String(e));
      return;
    }
    if (isDisposed) return;
    if (!reply.ok) {
      onError(reply.message);
      return;
    }
    onError(null);
    term.reset();
    term.resize(reply.cols, reply.rows);
    term.write(reply.snapshot, () => {
      if (isDisposed) return;
      const writer = new PacedWriter({
        write: (data, onParsed) => term.write(data, onParsed),
        ack: (chars) => link.send({ type: 'ack', sessionId, chars }),
      });
      const offLink = link.onOutput(sessionId, (data) => writer.push(data));
      offOutput = () => {
        offLink();
        writer.dispose();
      };
      // The snapshot is on screen: only now may output follow it.
      link.send({ type: 'ready', sessionId });
      onAttached({ cols: reply.cols, rows: reply.rows });
    });
  }

  const onData = term.onData((data) => link.send({ type: 'input', sessionId, data }));
  let wasDown = false;
  const offConnection = client.onConnectionChange((status) => {
    if (status !== 'connected') wasDown = true;
    else if (wasDown) {
      wasDown = false;
      void attach();
    }
  });
  void attach();

  return {
    dispose() {
      isDisposed = true;
      offOutput();
      offConnection();
      onData.dispose();
    },
  };
}
