import xtermHeadless from '@xterm/headless';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalService } from '../terminal/terminalService.js';
import { AgentTerminals } from './agentTerminals.js';

/** What the Agent terminal shows for commands that never reach a pty (a refusal, a dead worker). */

const { Terminal } = xtermHeadless;
let service: TerminalService;

afterEach(() => service?.dispose());

async function screen(agent: AgentTerminals, taskId: string): Promise<string[]> {
  const info = agent.info(taskId);
  if (!info) throw new Error('no Agent terminal');
  const taken = await service.snapshot(info.sessionId);
  if (!taken.ok) throw new Error(taken.message);
  const term = new Terminal({ cols: taken.cols, rows: taken.rows, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(taken.snapshot, resolve));
  const lines: string[] = [];
  for (let y = 0; y < term.buffer.active.length; y++) lines.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
  return lines.filter((line) => line !== '');
}

describe('AgentTerminals', () => {
  it('exists from the first command on, and shows a refused command with what the agent was told', async () => {
    service = new TerminalService({ mirrorThread: 'main' });
    const agent = new AgentTerminals({ service });
    expect(agent.info('t1')).toBeNull();
    agent.observe('t1', { type: 'command_started', callId: 'c1', command: 'curl https://example.test' });
    expect(agent.info('t1')).toMatchObject({ kind: 'agent', taskId: 't1', isRunning: true, exitCode: null });
    agent.observe('t1', { type: 'command_output', callId: 'c1', chunk: 'not run: the user denied this command\n' });
    agent.observe('t1', { type: 'command_finished', callId: 'c1', exitCode: null, durationMs: 3, isKilled: false });
    expect(agent.info('t1')?.isRunning).toBe(false);
    expect(await screen(agent, 't1')).toEqual(['$ curl https://example.test', 'not run: the user denied this command', 'not run']);
    // Another task has its own.
    expect(agent.info('t2')).toBeNull();
  });

  it('closes a command whose end never came, at the next command or at the end of the turn', async () => {
    service = new TerminalService({ mirrorThread: 'main' });
    const agent = new AgentTerminals({ service });
    agent.observe('t1', { type: 'command_started', callId: 'c1', command: 'make' });
    agent.observe('t1', { type: 'command_started', callId: 'c2', command: 'make test' });
    agent.endTurn('t1');
    expect(await screen(agent, 't1')).toEqual(['$ make', 'no result', '$ make test', 'no result (the turn ended)']);
    agent.close('t1');
    expect(agent.info('t1')).toBeNull();
    expect(service.list()).toEqual([]);
  });
});
