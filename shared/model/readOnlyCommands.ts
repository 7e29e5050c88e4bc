/**
 * Known read-only commands: the `untrusted` approval policy lets only these through unasked.
 * Plain code without zod on purpose: the agent worker loads it, and every worker's memory
 * counts per running agent (the `fleet` benchmark).
 */

/** A command's arguments after quote removal; true when running it cannot write anything. */
type ArgsCheck = (args: string[]) => boolean;

const anyArgs: ArgsCheck = () => true;
const noArgs: ArgsCheck = (args) => args.length === 0;

/** A check that refuses any argument that may be one of the `banned` options. */
function without(banned: readonly string[]): ArgsCheck {
  return (args) => !args.some((arg) => banned.some((flag) => mayBeOption(arg, flag)));
}

/**
 * Errs towards yes: `-o` may hide in `-no` or `-ofile` (short flags combine and take their
 * value attached), and `--output` in `--out=x` (getopt_long accepts unambiguous prefixes).
 */
function mayBeOption(arg: string, flag: string): boolean {
  if (flag.startsWith('--')) {
    if (!arg.startsWith('--')) return false;
    const name = arg.split('=', 1)[0] ?? arg;
    return name.length > 2 && flag.startsWith(name);
  }
  return /^-[^-]/.test(arg) && arg.includes(flag.slice(1));
}

/** Operands (not options) of a command, for checks like "uniq writes its second operand". */
function operands(args: string[]): string[] {
  const out: string[] = [];
  let afterDashDash = false;
  for (const arg of args) {
    if (!afterDashDash && arg === '--') afterDashDash = true;
    else if (afterDashDash || !arg.startsWith('-') || arg === '-') out.push(arg);
  }
  return out;
}

const FIND_ACTIONS_THAT_WRITE_OR_RUN = ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'];

/** git: global options we understand, then a subcommand that only reads. */
const GIT_READ_SUBCOMMANDS = new Set(['status', 'diff', 'log', 'show', 'rev-parse', 'ls-files', 'blame', 'shortlog']);
const GIT_BANNED_ARGS = [
  '--output', // diff/log/show write the patch to a file
  '--ext-diff', // runs a configured program
  '--textconv', // runs a configured filter
  '--open-files-in-pager',
  '--paginate',
  '--exec-path',
];
function gitIsReadOnly(args: string[]): boolean {
  let i = 0;
  while (i < args.length) {
    const arg = args[i] ?? '';
    if (arg === '--no-pager' || arg === '--no-optional-locks' || arg === '--literal-pathspecs') i += 1;
    else if (arg === '-C') i += 2;
    else break; // `-c key=value`, `--git-dir`, `--work-tree`… can point git at programs or other repos
  }
  const sub = args[i];
  if (sub === undefined || !GIT_READ_SUBCOMMANDS.has(sub)) return false;
  const rest = args.slice(i + 1);
  return without(GIT_BANNED_ARGS)(rest);
}

/**
 * Commands that only read, with the options that would make them write or run something
 * else refused. Anything not listed is unknown, hence not read-only.
 */
const READ_ONLY_COMMANDS: ReadonlyMap<string, ArgsCheck> = new Map<string, ArgsCheck>([
  ['ls', anyArgs],
  ['cat', anyArgs],
  ['head', anyArgs],
  ['tail', anyArgs],
  ['wc', anyArgs],
  ['pwd', anyArgs],
  ['echo', anyArgs],
  ['printf', without(['-v'])], // -v assigns a shell variable: harmless, but not what a reader does
  ['true', anyArgs],
  ['false', anyArgs],
  ['cd', anyArgs], // only changes this command's own directory
  ['grep', anyArgs],
  ['egrep', anyArgs],
  ['fgrep', anyArgs],
  ['rg', without(['--pre', '--pre-glob'])], // --pre runs a program on every file
  ['find', (args) => !args.some((arg) => FIND_ACTIONS_THAT_WRITE_OR_RUN.includes(arg))],
  ['git', gitIsReadOnly],
  ['file', without(['-C', '--compile'])],
  ['stat', anyArgs],
  ['du', anyArgs],
  ['df', anyArgs],
  ['tree', without(['-o'])], // -o writes the listing to a file
  ['diff', anyArgs],
  ['cmp', anyArgs],
  ['basename', anyArgs],
  ['dirname', anyArgs],
  ['realpath', anyArgs],
  ['readlink', anyArgs],
  ['sort', without(['-o', '--output', '--compress-program'])],
  ['uniq', (args) => operands(args).length <= 1], // a second operand is the output file
  ['cut', anyArgs],
  ['tr', anyArgs],
  ['nl', anyArgs],
  ['od', anyArgs],
  ['hexdump', anyArgs],
  ['md5sum', anyArgs],
  ['sha1sum', anyArgs],
  ['sha256sum', anyArgs],
  ['whoami', noArgs],
  ['id', anyArgs],
  ['uname', anyArgs],
  ['date', without(['-s', '--set'])],
  ['which', anyArgs],
]);

type Token = { kind: 'word'; text: string } | { kind: 'op'; op: '|' | '&&' | '||' | ';' };

/**
 * Splits a command line into words (quotes removed) and the few operators we accept.
 * Returns null at anything we do not model: redirections, command or process substitution,
 * backgrounding, subshells, `${…}` expansions, here-docs, an unterminated quote.
 */
function tokenize(command: string): Token[] | null {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) tokens.push({ kind: 'word', text: word });
    word = '';
    inWord = false;
  };
  let i = 0;
  while (i < command.length) {
    const c = command[i] ?? '';
    const next = command[i + 1] ?? '';
    if (c === "'") {
      const close = command.indexOf("'", i + 1);
      if (close < 0) return null;
      word += command.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      // Inside double quotes `$(…)`, backticks and `${…}` still run or expand: refuse them.
      let j = i + 1;
      for (; j < command.length && command[j] !== '"'; j++) {
        const d = command[j];
        if (d === '`' || (d === '$' && (command[j + 1] === '(' || command[j + 1] === '{'))) return null;
        if (d === '\\' && j + 1 < command.length) {
          word += command[j + 1];
          j++;
        } else {
          word += d;
        }
      }
      if (j >= command.length) return null;
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (next === '' || next === '\n') return null;
      word += next;
      inWord = true;
      i += 2;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i += 1;
    } else if (c === '\n' || c === ';') {
      endWord();
      tokens.push({ kind: 'op', op: ';' });
      i += 1;
    } else if (c === '|' || c === '&') {
      endWord();
      if (next === c) {
        tokens.push({ kind: 'op', op: c === '|' ? '||' : '&&' });
        i += 2;
      } else if (c === '|' && next !== '&') {
        tokens.push({ kind: 'op', op: '|' });
        i += 1;
      } else {
        return null; // `&` backgrounds a process past the command's end; `|&` pipes stderr
      }
    } else if ('<>()`{}'.includes(c) || (c === '$' && (next === '(' || next === '{' || next === "'"))) {
      return null;
    } else if (c === '#' && !inWord) {
      // A comment runs to the end of the line.
      const eol = command.indexOf('\n', i);
      if (eol < 0) break;
      i = eol;
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  endWord();
  return tokens;
}

/**
 * For the `untrusted` approval policy: true only for a command line that certainly writes
 * nothing and runs nothing beyond a known reader (ls, cat, grep, find without -exec/-delete,
 * git status/diff/log/show, …), alone or joined with `|`, `&&`, `||`, `;`. Redirections,
 * `$(…)`, backticks, variable assignments, paths as command names (`./ls`), `sudo`, and
 * anything unknown give false: when unsure, false. Commands still run inside the sandbox.
 */
export function isKnownReadOnlyCommand(command: string): boolean {
  const tokens = tokenize(command);
  if (tokens === null) return false;
  const commands: string[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'word') commands[commands.length - 1]?.push(token.text);
    else commands.push([]);
  }
  // `ls |` or `&& ls`: an empty command is a syntax error, not a reader; a trailing `;` is fine.
  const last = commands.at(-1);
  const lastToken = tokens.at(-1);
  if (last?.length === 0 && lastToken?.kind === 'op' && lastToken.op === ';') commands.pop();
  if (commands.length === 0) return false;
  return commands.every((words) => {
    const [name, ...args] = words;
    if (name === undefined || name.includes('/') || name.includes('=')) return false;
    const check = READ_ONLY_COMMANDS.get(name);
    return check !== undefined && check(args);
  });
}
