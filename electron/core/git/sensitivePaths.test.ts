import { describe, expect, it } from 'vitest';
import { manifestScriptsChange, sensitiveReason } from './sensitivePaths.js';

describe('sensitiveReason by path', () => {
  it.each([
    ['.github/workflows/ci.yml', 'CI workflow'],
    ['sub/.github/workflows/release.yaml', 'CI workflow'],
    ['.gitlab-ci.yml', 'CI configuration'],
    ['.circleci/config.yml', 'CI configuration'],
    ['azure-pipelines.yml', 'CI configuration'],
    ['Jenkinsfile', 'CI configuration'],
    ['Makefile', 'Makefile'],
    ['tools/rules.mk', 'Makefile'],
    ['.husky/pre-commit', 'git hook'],
    ['.githooks/pre-push', 'git hook'],
    ['.git-hooks/commit-msg', 'git hook'],
    ['.envrc', 'direnv script'],
    ['.vscode/tasks.json', 'editor task file'],
    ['.idea/runConfigurations/Run.xml', 'IDE run configuration'],
    ['Dockerfile', 'Dockerfile'],
    ['docker/Dockerfile.dev', 'Dockerfile'],
    ['docker-compose.yml', 'Docker Compose file'],
    ['docker-compose.override.yaml', 'Docker Compose file'],
  ])('%s is flagged as %s', (path, reason) => {
    expect(sensitiveReason(path)).toBe(reason);
  });

  it.each(['src/Makefile.ts', 'docs/workflows/ci.md', 'tasks.json', '.github/CODEOWNERS', 'README.md', 'husky.md', 'src/dockerfile-parser.ts'])(
    '%s is not flagged',
    (path) => {
      expect(sensitiveReason(path)).toBeNull();
    },
  );

  it('a manifest is flagged only when its scripts change', () => {
    const before = JSON.stringify({ name: 'x', version: '1.0.0', scripts: { test: 'vitest' } }, null, 2);
    const versionBump = JSON.stringify({ name: 'x', version: '1.0.1', scripts: { test: 'vitest' } }, null, 2);
    const reordered = JSON.stringify({ scripts: { test: 'vitest' }, version: '1.0.0', name: 'x' });
    const postinstall = JSON.stringify({ name: 'x', version: '1.0.0', scripts: { test: 'vitest', postinstall: 'node evil.js' } });
    expect(sensitiveReason('package.json', { before, after: versionBump })).toBeNull();
    expect(sensitiveReason('package.json', { before, after: reordered })).toBeNull();
    expect(sensitiveReason('packages/a/package.json', { before, after: postinstall })).toBe('package.json scripts changed');
    // A new manifest with scripts, and one that no longer parses, are flagged: we cannot vouch for them.
    expect(sensitiveReason('package.json', { before: null, after: postinstall })).toBe('package.json scripts changed');
    expect(sensitiveReason('package.json', { before: null, after: '{"name":"x"}' })).toBeNull();
    expect(sensitiveReason('package.json', { before, after: '{ "scripts": ' })).toBe('package.json scripts changed');
    expect(manifestScriptsChange('package.json', before, JSON.stringify({ bin: { x: 'run.js' }, scripts: { test: 'vitest' } }))).not.toBeNull();
  });

  it('pyproject.toml is flagged when a script, entry point or the build system changes, not for other tables', () => {
    const before = '[project]\nname = "x"\nversion = "1"\n\n[project.scripts]\nx = "x.cli:main"\n';
    expect(manifestScriptsChange('pyproject.toml', before, before.replace('version = "1"', 'version = "2"'))).toBeNull();
    expect(manifestScriptsChange('pyproject.toml', before, `${before}\n# a comment\n`)).toBeNull();
    expect(manifestScriptsChange('pyproject.toml', before, before.replace('x.cli:main', 'x.evil:main'))).toMatch(/pyproject/);
    expect(manifestScriptsChange('pyproject.toml', before, `${before}\n[tool.poetry.scripts]\ny = "y:run"\n`)).toMatch(/pyproject/);
    expect(manifestScriptsChange('pyproject.toml', before, `${before}\n[build-system]\nrequires = ["evil"]\n`)).toMatch(/pyproject/);
    expect(manifestScriptsChange('setup.py', 'a', 'b')).toMatch(/setup.py/);
  });
});
