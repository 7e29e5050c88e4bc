import { describe, expect, it } from 'vitest';
import { compileGlob, invalidGlobReason, protectedFiles } from './protectedPaths.js';

const FILES = ['.github/workflows/ci.yml', 'src/app.ts', 'src/deep/x.lock', 'package-lock.json', 'infra/main.tf', 'infra/mod/vars.tf', 'Makefile', 'a.lock'];

describe('protected path globs', () => {
  it.each([
    ['.github/workflows/**', ['.github/workflows/ci.yml']],
    ['*.lock', ['src/deep/x.lock', 'a.lock']],
    ['/**/*.lock'.slice(1), ['src/deep/x.lock', 'a.lock']],
    ['infra/', ['infra/main.tf', 'infra/mod/vars.tf']],
    ['infra/*.tf', ['infra/main.tf']],
    ['{Makefile,package-lock.json}', ['package-lock.json', 'Makefile']],
    ['src/[ab]pp.ts', ['src/app.ts']],
    ['src/?pp.ts', ['src/app.ts']],
  ])('%s matches what a user expects', (glob, expected) => {
    expect(protectedFiles(FILES, [glob])).toEqual(expected);
  });

  it('matches nothing with no patterns, and a file once however many patterns match it', () => {
    expect(protectedFiles(FILES, [])).toEqual([]);
    expect(protectedFiles(['a.lock'], ['*.lock', 'a.*'])).toEqual(['a.lock']);
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'leading /'],
    ['../x', '".." segments'],
    ['src/[ab', 'a [ without its ]'],
    ['{a,b', 'a { without its }'],
    ['a}', 'a } without its {'],
    ['src/a**b', '** must be a whole folder name'],
    ['a\\b', 'backslashes'],
  ])('refuses %j with a reason naming the problem (%s)', (glob, reason) => {
    const compiled = compileGlob(glob);
    expect(compiled.ok).toBe(false);
    expect(invalidGlobReason(['ok/**', glob])).toContain(reason);
  });

  it('treats regex characters in a pattern literally', () => {
    expect(protectedFiles(['a+b.txt', 'aab.txt'], ['a+b.txt'])).toEqual(['a+b.txt']);
  });
});
