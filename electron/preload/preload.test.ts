import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as wire from '../../shared/contracts/wire.js';
import { APP_ACTION_CHANNEL, MENU_ACTIONS } from '../../shared/contracts/menuActions.js';

/**
 * A sandboxed preload cannot require local files, so preload.cts keeps copies of the wire
 * protocol's names (shared/contracts/wire.ts). This fails when a copy drifts from the original,
 * before a window silently stops hearing from the host.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD_FILE = path.join(HERE, 'preload.cts');
const WIRE_FILE = path.join(HERE, '..', '..', 'shared', 'contracts', 'wire.ts');
const MAIN_DIR = path.join(HERE, '..', 'main');

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function allNodes(source: ts.SourceFile): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return nodes;
}

/** Every `const NAME = 'literal'` of a file. */
function stringConstants(source: ts.SourceFile): Map<string, string> {
  const found = new Map<string, string>();
  for (const node of allNodes(source)) {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isStringLiteral(node.initializer)) {
      found.set(node.name.text, node.initializer.text);
    }
  }
  return found;
}

/** A type alias's right-hand side, with whitespace normalized. */
function typeAlias(source: ts.SourceFile, name: string): string | undefined {
  const alias = allNodes(source).find((node): node is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(node) && node.name.text === name);
  return alias?.type.getText(source).replace(/\s+/g, ' ');
}

const preload = parse(PRELOAD_FILE);

describe('the preload’s copy of the wire protocol', () => {
  it('uses the same IPC channel names', () => {
    const constants = stringConstants(preload);
    expect(constants.get('INVOKE_CHANNEL')).toBe(wire.INVOKE_CHANNEL);
    expect(constants.get('EVENT_CHANNEL')).toBe(wire.EVENT_CHANNEL);
    expect(constants.get('TERMINAL_PORT_CHANNEL')).toBe(wire.TERMINAL_PORT_CHANNEL);
    expect(constants.get('APP_ACTION_CHANNEL')).toBe(APP_ACTION_CHANNEL);
    // Every channel name it holds is one of these: a new one must be added here and in wire.ts.
    const channels = [...constants.values()].filter((value) => value.startsWith('flotilla:'));
    expect(channels.sort()).toEqual([wire.EVENT_CHANNEL, wire.INVOKE_CHANNEL, wire.TERMINAL_PORT_CHANNEL, APP_ACTION_CHANNEL].sort());
  });

  it('passes on exactly the app actions the page knows', () => {
    const kinds = allNodes(preload).find(
      (node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && node.name.getText(preload) === 'APP_ACTION_KINDS',
    );
    const list = kinds?.initializer;
    expect(list && ts.isArrayLiteralExpression(list)).toBe(true);
    const names = list && ts.isArrayLiteralExpression(list) ? list.elements.map((element) => (ts.isStringLiteral(element) ? element.text : '?')) : [];
    expect(names.sort()).toEqual([...MENU_ACTIONS, 'openTask'].sort());
  });

  it('reads invoke replies of the same shape', () => {
    const copy = typeAlias(preload, 'InvokeReply');
    expect(copy).toBeDefined();
    expect(copy).toBe(typeAlias(parse(WIRE_FILE), 'InvokeReply'));
  });

  it('reads the allowlists from the arguments main passes', () => {
    const flags = allNodes(preload).flatMap((node) =>
      ts.isCallExpression(node) && node.expression.getText(preload) === 'namesFromArgv' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])
        ? [node.arguments[0].text]
        : [],
    );
    expect(flags.sort()).toEqual(['flotilla-events', 'flotilla-methods']);
    // Whichever file of electron/main creates the window (main.ts or its composition root).
    const main = fs
      .readdirSync(MAIN_DIR)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .map((name) => fs.readFileSync(path.join(MAIN_DIR, name), 'utf8'))
      .join('\n');
    for (const flag of flags) expect(main).toContain(`\`--${flag}=\${`);
  });
});
