/**
 * `npm run bench -- agent-commands`: what one agent command costs, the whole way. A scripted
 * agent in a real `flotilla serve` runs `true` 30 times, each as its own tool call: a pty in the
 * pty host, inside the task's sandbox, shown live in the Agent terminal. Each command's wall time
 * is the `durationMs` of its `command_finished` event (start of the sandbox to the end of its
 * output). The peer: the same sandboxed `true` through runSandboxed on plain pipes, in this process,
 * nothing in between (what the sandbox itself costs). Last line:
 * `agent-commands: pty_p50=<ms> pty_p90=<ms> pipe_p50=<ms> ratio=<pty_p50/pipe_p50>`.
 */
import os from 'node:os';
import { runSandboxed } from '../electron/core/sandbox/runSandboxed.js';
import { startModelServer } from '../test/fixtures/modelServer.js';
import { makeTempRepo } from '../test/fixtures/tempRepo.js';
import { startBenchHost } from './lib/benchHost.js';
import { makeBenchSandbox } from './lib/benchSandbox.js';
import { runBench } from './lib/runBench.js';
import { fixed, percentile, waitUntil } from './lib/stats.js';

const COMMANDS = 30;

await runBench('agent-commands', async (cleanup) => {
  const model = await startModelServer({
    scenarios: [
      {
        name: 'many commands',
        steps: [...Array.from({ length: COMMANDS }, () => ({ type: 'shell' as const, command: 'true' })), { type: 'message' as const, text: 'done' }],
      },
    ],
  });
  cleanup.defer('close the model server', () => model.close());
  const repo = await makeTempRepo({ name: 'agent commands' });
  cleanup.defer('remove the repo', () => repo.cleanup());
  const host = await startBenchHost(cleanup, { modelUrl: model.url, maxRunning: 4 });
  const { repo: added } = await host.api.invokeOk('repos.add', { path: repo.path });
  const { task } = await host.api.invokeOk('tasks.create', { repo: added.id, prompt: 'run true many times', title: 'agent commands' });
  await waitUntil(
    'the turn to end',
    async () => {
      const got = await host.api.invokeOk('tasks.get', { id: task.id });
      if (got.task.status === 'failed' || got.task.status === 'needs_input') throw new Error(`the task is ${got.task.status}: ${got.task.statusReason ?? ''}`);
      return got.task.status === 'review' ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 100 },
  );
  const { events } = await host.api.invokeOk('tasks.events', { id: task.id });
  const onPty = events.flatMap(({ body }) => (body.kind === 'command_finished' ? [body.durationMs] : []));
  if (onPty.length !== COMMANDS) throw new Error(`${onPty.length} commands finished, expected ${COMMANDS}`);

  // The peer: the same sandbox, on pipes, in this process.
  const { root, spec, remove } = makeBenchSandbox('flotilla-bench-commands-');
  cleanup.defer(`remove ${root}`, remove);
  const onPipes: number[] = [];
  for (let i = 0; i <= COMMANDS; i++) {
    const result = await runSandboxed(spec, 'true', { hiddenPaths: [root] });
    if (result.exitCode !== 0) throw new Error(`sandboxed true failed: ${result.output}`);
    if (i > 0) onPipes.push(result.durationMs); // the first one warms the sandbox probe up
  }

  const ptyP50 = percentile(onPty, 50);
  const pipeP50 = percentile(onPipes, 50);
  console.log(`agent-commands: ${COMMANDS} sandboxed \`true\` commands of one scripted agent (${os.cpus().length} cores)`);
  console.log(`  on a pty, the agent's way (command_finished.durationMs): p50=${fixed(ptyP50)} ms p90=${fixed(percentile(onPty, 90))} ms max=${fixed(Math.max(...onPty))} ms`);
  console.log(`  on pipes, runSandboxed in this process:                  p50=${fixed(pipeP50)} ms p90=${fixed(percentile(onPipes, 90))} ms`);
  console.log(`agent-commands: pty_p50=${fixed(ptyP50)} pty_p90=${fixed(percentile(onPty, 90))} pipe_p50=${fixed(pipeP50)} ratio=${fixed(ptyP50 / pipeP50, 2)}`);
});
