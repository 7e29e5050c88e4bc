/**
 * The renderer's only door to the host: `window.flotilla.invoke(method, input)` and
 * `window.flotilla.on(event, listener)`, for contract names only; and
 * `window.flotilla.onAppAction(listener)` for what the desktop shell's menu asks of the page.
 *
 * CommonJS on purpose: a sandboxed preload cannot be an ES module and cannot require local
 * files, so the allowlists come from main as `--flotilla-methods=a,b` / `--flotilla-events=…`
 * arguments (see main.ts) instead of an import of shared/contract.ts, and the channel names
 * below are copies of shared/contracts/wire.ts (preload.test.ts fails when they drift).
 */
// `import … from` is not allowed in a CommonJS file under verbatimModuleSyntax; this form is.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');

const { contextBridge, ipcRenderer } = electron;

const INVOKE_CHANNEL = 'flotilla:invoke';
const TERMINAL_PORT_CHANNEL = 'flotilla:terminal-port';
const EVENT_CHANNEL = 'flotilla:event';
const APP_ACTION_CHANNEL = 'flotilla:app-action';
/** Copies of shared/contracts/menuActions.ts (`MENU_ACTIONS`, plus `openTask`), checked by preload.test.ts. */
const APP_ACTION_KINDS: readonly string[] = ['newTask', 'commandPalette', 'nextTask', 'previousTask', 'toggleTerminal', 'settings', 'openTask'];

type InvokeReply = { ok: true; output: unknown } | { ok: false; message: string };

function namesFromArgv(flag: string): ReadonlySet<string> {
  const prefix = `--${flag}=`;
  const arg = process.argv.find((a) => a.startsWith(prefix));
  return new Set(arg ? arg.slice(prefix.length).split(',').filter((name) => name !== '') : []);
}

const METHODS = namesFromArgv('flotilla-methods');
const EVENTS = namesFromArgv('flotilla-events');

contextBridge.exposeInMainWorld('flotilla', {
  async invoke(method: unknown, input: unknown): Promise<unknown> {
    if (typeof method !== 'string' || !METHODS.has(method)) throw new Error(`unknown method: ${String(method)}`);
    const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, method, input)) as InvokeReply;
    if (reply.ok) return reply.output;
    throw new Error(reply.message);
  },
  on(event: unknown, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !EVENTS.has(event)) throw new Error(`unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('the listener must be a function');
    // The IPC event object (it carries the sender) never reaches the page: only the payload.
    const onMessage = (_ipcEvent: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, onMessage);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, onMessage);
    };
  },
  /** What the app's menu or a click on a desktop notification asks the page to do: `{ kind, taskId? }`. */
  onAppAction(listener: (action: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('the listener must be a function');
    const onMessage = (_ipcEvent: unknown, action: unknown) => {
      const { kind, taskId } = (typeof action === 'object' && action !== null ? action : {}) as { kind?: unknown; taskId?: unknown };
      if (typeof kind !== 'string' || !APP_ACTION_KINDS.includes(kind)) return;
      listener(typeof taskId === 'string' ? { kind, taskId } : { kind });
    };
    ipcRenderer.on(APP_ACTION_CHANNEL, onMessage);
    return () => {
      ipcRenderer.removeListener(APP_ACTION_CHANNEL, onMessage);
    };
  },
});

// Terminal bytes travel on a MessagePort from main. A port cannot cross contextBridge, so it is
// posted to the page's own window (same origin only); the IPC event never reaches the page.
ipcRenderer.on(TERMINAL_PORT_CHANNEL, (ipcEvent) => {
  const [port] = ipcEvent.ports;
  if (port) window.postMessage(TERMINAL_PORT_CHANNEL, window.location.origin, [port]);
});
