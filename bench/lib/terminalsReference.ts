// The reference for `terminals-memory`: the least a process can hold to offer what Flotilla
// offers per terminal — a pty and a headless xterm keeping its screen and 10 000 lines of
// scrollback — with nothing else (no IPC, no sessions, no worker thread). Started as its own
// process by the benchmark: `node --import tsx terminalsReference.ts COUNT 'COMMAND'`; prints
// `rss_before_kb=<n>` at start and `rss_after_kb=<n>` once every pty has exited and its
// mirror has parsed everything, then waits to be killed.
import os from 'node:os';
import xtermHeadless from '@xterm/headless';
import * as nodePty from 'node-pty';

// CommonJS package: its named exports are only on the default export under ESM.
const { Terminal } = xtermHeadless;
type Terminal = InstanceType<typeof Terminal>;
const count = Number(process.argv[2] ?? 16);
const command = process.argv[3] ?? 'true';
const rssKb = () => Math.round(process.memoryUsage().rss / 1024);

console.log(`rss_before_kb=${rssKb()}`);
const terminals: Terminal[] = [];
await Promise.all(
  Array.from({ length: count }, () => {
    const term = new Terminal({ cols: 120, rows: 40, scrollback: 10_000, allowProposedApi: true });
    terminals.push(term);
    const pty = nodePty.spawn('bash', ['-c', command], { cwd: os.tmpdir(), cols: 120, rows: 40, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' } });
    let pending = 0;
    return new Promise<void>((resolve) => {
      let hasExited = false;
      const maybeDone = () => hasExited && pending === 0 && resolve();
      pty.onData((data) => {
        pending++;
        term.write(data, () => {
          pending--;
          maybeDone();
        });
      });
      pty.onExit(() => {
        hasExited = true;
        maybeDone();
      });
    });
  }),
);
console.log(`rss_after_kb=${rssKb()}`);
// Kept alive (with its terminals) until the benchmark has read the figure and kills it.
setInterval(() => terminals.length, 60_000);
