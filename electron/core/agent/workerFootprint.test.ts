import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every running agent is one worker process, so whatever the worker loads is paid once per
 * agent (the `fleet` benchmark, target ≤ 75 MB per agent). zod and the contract's schemas cost
 * ~13 MB of RSS per process when loaded, and the worker validates nothing with them: it must
 * reach only the zod-free modules (shared/model/readOnlyCommands, widening, commandLimits,
 * shared/contracts/failure).
 */
const WORKER_ENTRY = path.join(import.meta.dirname, 'agentWorker.ts');
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** Modules loaded at run time from `file`: type-only imports are erased (verbatimModuleSyntax). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first)) specifiers.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** Every module the worker loads: our files (relative to the repo) and packages by name. */
function moduleGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    const relative = path.relative(REPO_ROOT, file);
    if (files.has(relative)) return;
    files.add(relative);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) walk(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));
      else if (!specifier.startsWith('node:')) packages.add(specifier.split('/')[0] ?? specifier);
    }
  };
  walk(entry);
  return { files, packages };
}

describe('the agent worker loads only what a turn needs', () => {
  const graph = moduleGraph(WORKER_ENTRY);

  it('follows its imports (the walk itself works)', () => {
    expect(graph.files).toContain(path.join('electron', 'core', 'agent', 'agentLoop.ts'));
    expect(graph.files).toContain(path.join('electron', 'core', 'sandbox', 'runSandboxed.ts'));
    expect(graph.packages).toContain('openai');
  });

  it('never loads zod or the contract table', () => {
    expect([...graph.packages]).not.toContain('zod');
    expect([...graph.files].filter((f) => f.startsWith(path.join('shared', 'contract')) && !f.endsWith('failure.ts'))).toEqual([]);
  });
});
