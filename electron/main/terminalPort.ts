import type { BrowserWindow, MessageChannelMain, MessagePortMain } from 'electron';
import { bytesOf, TERMINAL_PORT_CHANNEL } from '../../shared/contracts/wire.js';
import type { Host } from '../core/hostTypes.js';
import type { TerminalChannel } from '../core/terminal/terminalChannel.js';
import { isAppUrl } from './appProtocol.js';

export interface WindowTerminals {
  /**
   * The terminal channel of the page the window shows now (its `terminal.attach` streams over
   * this window's port); null before the page has loaded.
   */
  channel(): TerminalChannel | null;
  dispose(): void;
}

/**
 * Terminal bytes for one window over a MessagePort (binary, no JSON, no base64): on every
 * load of our page, a fresh channel; port2 goes to the page (through the preload), port1 is
 * wired to a host terminal channel. A reload drops the old channel, so its un-acked output
 * stops holding the ptys paused.
 */
export function connectWindowTerminals(MessageChannel: new () => MessageChannelMain, host: Host, window: BrowserWindow): WindowTerminals {
  let current: { port: MessagePortMain; channel: TerminalChannel } | null = null;

  function drop(): void {
    const dropped = current;
    if (!dropped) return;
    // Forget it first: closing the port may emit 'close' at once, which drops again.
    current = null;
    dropped.channel.dispose();
    dropped.port.close();
  }

  function offerPort(): void {
    drop();
    const contents = window.webContents;
    if (window.isDestroyed() || !isAppUrl(contents.getURL())) return;
    const { port1, port2 } = new MessageChannel();
    const channel = host.openTerminalChannel((frame) => port1.postMessage(frame));
    const entry = { port: port1, channel };
    current = entry;
    port1.on('message', (event) => {
      const bytes = bytesOf(event.data);
      if (bytes) channel.handleFrame(bytes);
    });
    port1.on('close', () => {
      if (current === entry) drop();
    });
    port1.start();
    contents.postMessage(TERMINAL_PORT_CHANNEL, null, [port2]);
  }

  window.webContents.on('did-finish-load', offerPort);
  window.webContents.on('render-process-gone', drop);
  window.on('closed', drop);

  return {
    channel: () => current?.channel ?? null,
    dispose: drop,
  };
}
