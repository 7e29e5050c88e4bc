import fs from 'node:fs';
import { makeTempHome, startFlotilla, type FlotillaServer } from '../../test/fixtures/flotillaProcess.js';
import type { CleanupStack } from './cleanupStack.js';
import { HostApi } from './hostApi.js';
import { isAlive, processTree } from './processTree.js';
import { sleep } from './stats.js';

/** A real `flotilla serve` for a benchmark, with its own FLOTILLA_HOME, talking to a scripted model. */
export interface BenchHost {
  flotilla: FlotillaServer;
  api: HostApi;
  home: string;
  /** The serve process: the host. */
  pid: number;
  /** Stops the host (its agents with it), makes sure no descendant outlives it, deletes its home. */
  stop(): Promise<void>;
}

/** 10 s: after a SIGTERM the host stops its agents (1 s each, in parallel) and exits within ~3 s. */
const DESCENDANTS_GONE_MS = 10_000;

export async function startBenchHost(
  cleanup: CleanupStack,
  opts: { modelUrl: string; maxRunning?: number },
): Promise<BenchHost> {
  const home = makeTempHome();
  const removeHome = cleanup.defer(`remove ${home}`, () => fs.rmSync(home, { recursive: true, force: true }));
  const flotilla = await startFlotilla({ home, env: { OPENAI_BASE_URL: opts.modelUrl, OPENAI_API_KEY: 'sk-bench' } });
  const pid = flotilla.process.pid;
  if (pid === undefined) throw new Error('flotilla serve has no pid');
  const api = HostApi.fromHome(home);

  const stopHost = cleanup.defer(`stop flotilla serve (pid ${pid})`, async () => {
    api.close();
    // Everything it started, recorded before it goes: a SIGKILLed host could leave orphans.
    const descendants = processTree(pid).filter((p) => p.depth > 0).map((p) => p.pid);
    await flotilla.stop();
    const deadline = Date.now() + DESCENDANTS_GONE_MS;
    while (descendants.some(isAlive) && Date.now() < deadline) await sleep(100);
    const survivors = descendants.filter(isAlive);
    for (const survivor of survivors) {
      try {
        process.kill(survivor, 'SIGKILL');
      } catch {
        // Ended between the check and the kill.
      }
    }
    if (survivors.length > 0) console.error(`bench: killed ${survivors.length} process(es) the host left behind: ${survivors.join(' ')}`);
  });

  if (opts.maxRunning !== undefined) {
    // Through the CLI on purpose: it is how a user raises the limit.
    const set = await flotilla.cli(['config', 'set', 'maxRunning', String(opts.maxRunning)]);
    if (set.code !== 0) throw new Error(`flotilla config set maxRunning failed: ${set.stderr}`);
  }
  return {
    flotilla,
    api,
    home,
    pid,
    async stop() {
      await stopHost();
      await removeHome();
    },
  };
}
