import { parseArgs } from 'node:util';
import { defaultHome } from '../core/util/paths.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, inertIo, processIo } from './cliIo.js';
import type { CliIo, CommandIo } from './cliIo.js';
import { TASK_COMMANDS, REPO_COMMANDS } from './clientCommands.js';
import { CONFIG_COMMANDS } from './configCommands.js';
import { taskLogCommand } from './taskLogCommand.js';
import { APPROVAL_COMMANDS } from './approvalCommands.js';
import { WORKTREE_COMMANDS } from './worktreeCommands.js';
import { repoConfigCommand } from './repoConfigCommand.js';
import { REVIEW_COMMANDS } from './reviewCommands.js';
import { REPLAY_COMMANDS } from './replayCommands.js';
import { PROVIDER_COMMANDS } from './providerCommands.js';
import { instructionsCommand } from './agentCommands.js';
import { openCommand } from './openCommand.js';
import type { ClientCommand, CommandValues } from './clientCommands.js';
import { HostClient } from './hostClient.js';
import { runServe } from './serveCommand.js';
import { findRunningServer } from '../transport/serverFile.js';

type OptionSpec = { type: 'string' | 'boolean' };

const SERVE_OPTIONS: Record<string, OptionSpec> = { port: { type: 'string' }, host: { type: 'string' } };
const COMMON_OPTIONS: Record<string, OptionSpec> = { json: { type: 'boolean' }, help: { type: 'boolean' } };

const HELP = `Flotilla: run a fleet of coding agents, each task in its own git worktree and sandbox.

Usage: flotilla <command> [options]

Host
  serve [--port N] [--host H]      start the headless host (UI + API); --port 0 picks a free port

Repos
  open PATH                        add a repository if new, and show it in every open window
  repo add PATH                    add a local git repository
  repo list                        list repositories
  repo rename ID NAME              rename a repository on the board
  repo remove ID                   forget a repository (never touches it on disk)
  repo config ID [--setup SCRIPT] [--cleanup SCRIPT] [--copy FILE,FILE…] [--base BRANCH | --no-base]
                 [--script-network on|off] [--home-path PATH,PATH…] [--unix-socket PATH,PATH…]
                 [--protect GLOB,GLOB…]
                                   per-repo settings: a setup script run in each new worktree
                                   before the agent (e.g. "npm ci"), files to copy in (.env)…;
                                   scripts run in the task's sandbox, with network only if
                                   --script-network is on; --home-path: paths of your home shown
                                   read-only to commands (~/.gitconfig); --unix-socket: host
                                   sockets commands may connect to (/var/run/docker.sock).
                                   --protect: files a task may merge only with --approve-protected
                                   (e.g. '.github/workflows/**,*.lock'). A list replaces the old one; '' clears it

Tasks
  task new --repo PATH|ID --prompt TEXT [--title T] [--base BRANCH] [--backlog] [--wait]
           [--sandbox read-only|workspace-write|full-access] [--network]
           [--approval on-request|untrusted|never] [--provider NAME] [--model M]
                                   create a task; --wait returns when it leaves queued/running
                                   (or needs you); --backlog leaves it in the backlog until
                                   \`task start\`. Defaults: workspace-write, no network, on-request;
                                   the default provider and its model (see \`provider list\`)
  task start ID [--wait]           start a task from the backlog
  task send ID --message TEXT [--wait]
                                   a follow-up turn in the same worktree and conversation
  task resume ID [--message TEXT] [--wait]
                                   continue a stopped, failed or interrupted task
  task list                        list tasks
  task show ID                     show one task
  task log ID [--follow]           the task's transcript: messages, commands and their output;
                                   --follow prints on as it runs, until it leaves queued/running
  task instructions ID             the AGENTS.md files its next turn gets: FLOTILLA_HOME/AGENTS.md,
                                   then the repo's (an AGENTS.override.md replaces its folder's)
  task diff ID [--turn N] [--stat] the task's changes as a unified diff against the merge base
                                   (--turn N: that turn's changes only; --stat: one line a file;
                                   uncommitted and execution-sensitive files are named on stderr;
                                   --json: sensitive: true per file)
  task merge ID [--strategy merge|squash|rebase] [--message M] [--include-uncommitted] [--approve-protected]
                                   merge the task into its base branch; uncommitted files in
                                   its worktree refuse the merge unless included, and files the
                                   repo protects (repo config --protect) unless approved
  task resolve ID [--wait]         merge the base branch into the task with its conflicts marked,
                                   and have the agent resolve them in a new turn
  task comment ID --file PATH --line N [--end-line M] --text TEXT
                                   comment on lines of the task's diff (of the file as the task
                                   left it); refused for a file or line the diff does not show
  task comments ID                 the comments and AI findings, sent or not, and the turn that answered each
  task request-changes ID [--message TEXT] [--finding ID,ID…] [--wait]
                                   send every unsent comment (and the chosen findings) to the agent
                                   as its next turn; the task goes back to In progress
  task review ID                   run a read-only review agent over the diff; waits, prints its findings
  task pr ID                       push the branch and open a pull request (needs a remote and gh)
  task restore ID                  bring a discarded task back, uncommitted files included
  task approve ID [--always]       run the command waiting for approval (--always: for the rest of the task)
  task deny ID [--reason TEXT]     refuse it; the reason goes back to the agent
  task stop ID                     stop the task's agent
  task discard ID                  discard the task, its worktree and branch (archived first:
                                   \`task restore\` undoes it for archiveRetentionDays, 30 by default)

Disk
  worktrees list                   disk used by task worktrees, largest first
  worktrees remove PATH [--force]  delete a worktree folder no live task uses (--force: even
                                   with uncommitted changes in it)

Providers (models)
  provider add NAME --base-url URL --api responses|chat --model MODEL [--api-key-stdin] [--replace]
                                   an OpenAI-compatible endpoint (chat: Ollama, vLLM, LM Studio);
                                   the key is read from standard input, never the command line
  provider list                    profiles (* the default), what new tasks use and where each
                                   value comes from; keys are never printed, only whether set
  provider default NAME|none       the profile new tasks use (none: OPENAI_* environment/settings)
  provider test NAME               one tiny request; says what failed
  provider remove NAME             forget a profile and its key

Replays (recordings of the board, to watch or to share)
  replay list                      the journal's sessions (split by an idle hour) and imported files
  replay show ID                   tasks, events, duration and the expert's decision points
  replay export (--task ID | --since TIME) --out FILE
                                   one task, or everything since TIME (ISO date or 30m, 2h, 1d ago),
                                   with its terminal recordings, redacted, as one .gz file
  replay import FILE               a Flotilla export, a Codex CLI rollout-*.jsonl, a Claude Code
                                   transcript (.jsonl) or an asciicast v2 .cast; all or nothing,
                                   unknown records skipped and counted; progress on stderr

Settings
  config list                      all settings
  config get KEY                   one setting (see \`config list\` for the keys)
  config set KEY VALUE             change one; e.g. \`config set maxRunning 6\`

Every client command takes --json for machine-readable output. Client commands find the
host through $FLOTILLA_HOME/server.json. Exit codes: 0 ok, 1 failed, 2 bad usage.
Control characters in what the model or agent wrote print as \\u001b-style escapes; only
\`task diff\` into a file or a pipe is written byte for byte.
`;

/**
 * `flotilla …`: returns the exit code; prints one `flotilla: <reason>` line on any failure.
 * Every command writes through `inertIo`, here where all of them pass (in-process tests too),
 * so none can forget: see SECURITY.md, "control characters … never reach the user's terminal".
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  return dispatch(argv, inertIo(io));
}

async function dispatch(argv: string[], io: CommandIo): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (first === 'serve') return serve(argv.slice(1), io);
  if (first === 'open') return runClientCommand(openCommand, argv.slice(1), io);
  const groups: Record<string, Record<string, ClientCommand>> = {
    task: { ...TASK_COMMANDS, ...APPROVAL_COMMANDS, ...REVIEW_COMMANDS, log: taskLogCommand, instructions: instructionsCommand },
    repo: { ...REPO_COMMANDS, config: repoConfigCommand },
    config: CONFIG_COMMANDS,
    provider: PROVIDER_COMMANDS,
    worktrees: WORKTREE_COMMANDS,
    replay: REPLAY_COMMANDS,
  };
  const group = Object.hasOwn(groups, first) ? groups[first] : undefined;
  if (!group) return usageError(io, `unknown command '${first}'`);
  if (second === undefined) return usageError(io, `'${first}' needs a subcommand: ${Object.keys(group).join(', ')}`);
  const command = Object.hasOwn(group, second) ? group[second] : undefined;
  if (!command) return usageError(io, `unknown command '${first} ${second}'`);
  return runClientCommand(command, rest, io);
}

async function runClientCommand(command: ClientCommand, args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandLine(args, { ...command.options, ...COMMON_OPTIONS });
  if (!parsed.ok) return usageError(io, parsed.message);
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(`Usage: flotilla ${command.usage}`);
    return EXIT_OK;
  }
  if (positionals.length !== command.positionals.length) {
    const expected = command.positionals.length === 0 ? 'no arguments' : command.positionals.join(' ');
    return usageError(io, `${command.name} takes ${expected} (usage: flotilla ${command.usage})`);
  }
  for (const name of command.required ?? []) {
    if (typeof values[name] !== 'string') return usageError(io, `${command.name} needs --${name} (usage: flotilla ${command.usage})`);
  }
  const invalid = command.validate?.(values);
  if (invalid) return usageError(io, invalid);

  const lookup = findRunningServer(defaultHome(io.env));
  if (!lookup.ok) {
    io.stderr(`flotilla: ${lookup.message}`);
    return EXIT_FAILURE;
  }
  return command.run({ client: new HostClient(lookup.info), io, values, positionals, isJson: values.json === true });
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(args, { ...SERVE_OPTIONS, help: { type: 'boolean' } });
  if (!parsed.ok) return usageError(io, parsed.message);
  if (parsed.values.help === true) {
    io.stdout('Usage: flotilla serve [--port N] [--host H]');
    return EXIT_OK;
  }
  if (parsed.positionals.length > 0) return usageError(io, 'serve takes no arguments (usage: flotilla serve [--port N] [--host H])');
  const portText = parsed.values.port;
  const port = typeof portText === 'string' ? Number(portText) : 0;
  if (typeof portText === 'string' && !(/^\d+$/.test(portText) && port >= 0 && port <= 65535)) {
    return usageError(io, `--port must be a number from 0 to 65535, not '${portText}'`);
  }
  const hostname = typeof parsed.values.host === 'string' ? parsed.values.host.trim() : '127.0.0.1';
  if (hostname === '') return usageError(io, '--host must not be empty');
  return runServe({ port, hostname }, io);
}

type ParsedLine = { ok: true; values: CommandValues; positionals: string[] } | { ok: false; message: string };

function parseCommandLine(args: string[], options: Record<string, OptionSpec>): ParsedLine {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { ok: true, values: values as CommandValues, positionals };
  } catch (error) {
    return { ok: false, message: shortParseError(error) };
  }
}

/** Node's parseArgs messages are long and end with advice about `--`; keep the first sentence. */
function shortParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split(/\.\s/)[0] ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1).replace(/\.$/, '');
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`flotilla: ${message}`);
  return EXIT_USAGE;
}
