/** Lock files and build output: reviewed by nobody line by line, so collapsed by default. */
const GENERATED_NAMES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'Cargo.lock',
  'Gemfile.lock',
  'composer.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'go.sum',
  'flake.lock',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
]);

const GENERATED_SUFFIXES = ['.min.js', '.min.css', '.map', '.snap', '.pb.go', '_pb2.py', '.generated.ts', '.g.dart'];
const GENERATED_DIRS = ['dist/', 'build/', 'out/', 'vendor/', 'node_modules/', '__generated__/', 'generated/'];

export function isGeneratedPath(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  const name = normalized.slice(normalized.lastIndexOf('/') + 1);
  if (GENERATED_NAMES.has(name)) return true;
  if (GENERATED_SUFFIXES.some((suffix) => name.endsWith(suffix))) return true;
  const withSlash = `/${normalized}`;
  return GENERATED_DIRS.some((dir) => withSlash.includes(`/${dir}`));
}
