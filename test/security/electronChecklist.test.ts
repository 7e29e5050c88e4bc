import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP, SECURITY_HEADERS } from '../../electron/transport/contentSecurityPolicy.js';

/**
 * SECURITY.md's Electron checklist, checked on the source (no Electron binary runs here).
 * Comments are stripped first, so a comment can neither satisfy nor break a check.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN_DIR = path.join(ROOT, 'electron', 'main');
const PRELOAD_FILE = path.join(ROOT, 'electron', 'preload', 'preload.cts');

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function withoutComments(source: ts.SourceFile): string {
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

function mainSources(): ts.SourceFile[] {
  return fs
    .readdirSync(MAIN_DIR)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => parse(path.join(MAIN_DIR, name)));
}

/** Every TypeScript source under `dir`, tests and test fixtures left out. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !/\.c?ts$/.test(entry.name) || entry.name.endsWith('.test.ts') || file.includes(`${path.sep}testing${path.sep}`)) return [];
    return [file];
  });
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

function propertyName(node: ts.ObjectLiteralElementLike): string | undefined {
  return node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) ? node.name.text : undefined;
}

/** Every `webPreferences: { … }` object literal, as name → initializer text. */
function webPreferences(sources: ts.SourceFile[]): Map<string, string>[] {
  const found: Map<string, string>[] = [];
  for (const source of sources) {
    for (const node of allNodes(source)) {
      if (!ts.isPropertyAssignment(node) || propertyName(node) !== 'webPreferences') continue;
      if (!ts.isObjectLiteralExpression(node.initializer)) throw new Error('webPreferences must be an object literal, so it can be checked');
      found.push(
        new Map(
          node.initializer.properties.flatMap((p) => {
            const name = propertyName(p);
            return name && ts.isPropertyAssignment(p) ? [[name, p.initializer.getText(source)] as const] : [];
          }),
        ),
      );
    }
  }
  return found;
}

const main = mainSources();
const mainText = main.map(withoutComments).join('\n');
const preloadText = withoutComments(parse(PRELOAD_FILE));

describe('Electron checklist (SECURITY.md)', () => {
  it('every window is sandboxed and isolated, with Node off and web security on', () => {
    const prefs = webPreferences(main);
    expect(prefs.length).toBeGreaterThan(0);
    for (const p of prefs) {
      expect(p.get('sandbox')).toBe('true');
      expect(p.get('contextIsolation')).toBe('true');
      expect(p.get('nodeIntegration')).toBe('false');
      expect(p.get('webSecurity') ?? 'true').toBe('true');
      expect(p.get('nodeIntegrationInSubFrames') ?? 'false').toBe('false');
      expect(p.get('webviewTag') ?? 'false').toBe('false');
      expect(p.has('allowRunningInsecureContent')).toBe(false);
      expect(p.has('experimentalFeatures')).toBe(false);
      expect(p.get('preload')).toBeDefined();
    }
    expect(mainText).not.toMatch(/webSecurity:\s*false/);
    expect(mainText).not.toMatch(/sandbox:\s*false|contextIsolation:\s*false|nodeIntegration:\s*true/);
    expect(mainText).toMatch(/app\.enableSandbox\(\)/);
  });

  it('loads the renderer from the flotilla:// protocol, never file://', () => {
    expect(mainText).not.toMatch(/file:\/\//);
    expect(mainText).not.toMatch(/\.loadFile\(/);
    expect(mainText).not.toMatch(/pathToFileURL/);
    expect(mainText).toMatch(/loadURL\(APP_INDEX_URL\)/);
    expect(mainText).toMatch(/APP_ORIGIN = `\$\{APP_SCHEME\}:\/\/app`/);
    expect(mainText).toMatch(/APP_SCHEME = 'flotilla'/);
    expect(mainText).toMatch(/registerSchemesAsPrivileged\(\[\s*\{\s*scheme: APP_SCHEME, privileges: \{[^}]*standard: true[^}]*secure: true/);
    expect(mainText).not.toMatch(/bypassCSP:\s*true/);
    // The protocol handler reuses the server's traversal-checked reader.
    expect(mainText).toMatch(/protocol\.handle\(APP_SCHEME/);
    expect(mainText).toMatch(/readStaticFile\(rendererDir, url\.pathname\)/);
  });

  it('denies navigation, new windows and <webview>; opens only http(s) outside', () => {
    expect(mainText).toMatch(/on\('will-navigate'/);
    expect(mainText).toMatch(/if \(!isAppUrl\(url\)\)\s*event\.preventDefault\(\)/);
    expect(mainText).toMatch(/setWindowOpenHandler\(/);
    expect(mainText).toMatch(/action: 'deny'/);
    expect(mainText).not.toMatch(/action: 'allow'/);
    expect(mainText).toMatch(/on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/);
    const openExternal = mainText.match(/shell\.openExternal\(/g) ?? [];
    expect(openExternal).toHaveLength(1);
    expect(mainText).toMatch(/if \(protocol === 'https:' \|\| protocol === 'http:'\)\s*void shell\.openExternal\(url\)/);
  });

  it('denies every permission request', () => {
    expect(mainText).toMatch(/setPermissionRequestHandler\(\(_contents, _permission, callback\) => callback\(false\)\)/);
    expect(mainText).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
  });

  it('checks the sender of every IPC call before the handler runs', () => {
    const handles = mainText.match(/ipcMain\.handle\(/g) ?? [];
    expect(handles.length).toBeGreaterThan(0);
    expect(mainText).not.toMatch(/ipcMain\.on\(/);
    expect(handles).toHaveLength((mainText.match(/if \(!isTrustedSender\(event, getWindow\(\)\)\)\s*return/g) ?? []).length);
    // The check: our window, its main frame, our own page.
    expect(mainText).toMatch(/event\.sender !== window\.webContents/);
    expect(mainText).toMatch(/frame !== event\.sender\.mainFrame/);
    expect(mainText).toMatch(/return isAppUrl\(frame\.url\)/);
    expect(mainText).toMatch(/url\.startsWith\(APP_URL_PREFIX\)/);
    expect(mainText).toMatch(/APP_URL_PREFIX = `\$\{APP_ORIGIN\}\/`/);
    // Every call goes through the contract's input parsing: the host's handlers, or the same
    // handlers with this window's `tasks.watch` bound (handlersFor wraps host.handlers).
    expect(mainText).toMatch(/invokeMethod\(connectionOf\(event\.sender\)\.handlers, method, input\)/);
    expect(mainText).toMatch(/handlers: handlersFor\(host\.handlers, scope\)/);
  });

  it('the preload exposes only invoke/on, for contract names main passes in', () => {
    expect(mainText).toMatch(/`--flotilla-methods=\$\{METHOD_NAMES\.join\(','\)\}`/);
    expect(mainText).toMatch(/`--flotilla-events=\$\{EVENT_NAMES\.join\(','\)\}`/);
    expect(preloadText.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preloadText).toMatch(/exposeInMainWorld\('flotilla', \{/);
    expect(preloadText).toMatch(/!METHODS\.has\(method\)\)\s*throw/);
    expect(preloadText).toMatch(/!EVENTS\.has\(event\)\)\s*throw/);
    // Never the raw ipcRenderer, never the IPC event (it carries the sender) to the page.
    expect(preloadText).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(preloadText).toMatch(/if \(name === event\)\s*listener\(payload\)/);
    expect(preloadText).not.toMatch(/ipcRenderer\.send\(/);
    expect(preloadText).not.toMatch(/require\('(?!electron')/);
  });

  it('the preload is compiled: electron/tsconfig.json includes .cts files', () => {
    const config = ts.readConfigFile(path.join(ROOT, 'electron', 'tsconfig.json'), (f) => fs.readFileSync(f, 'utf8'));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.join(ROOT, 'electron'));
    expect(parsed.fileNames).toContain(PRELOAD_FILE);
  });

  it('helper processes are utility processes: no Node child process in main, no ELECTRON_RUN_AS_NODE anywhere', () => {
    // The pty host and the agent workers start through the starter main gives the host.
    expect(mainText).toMatch(/utilityProcess\.fork\(spec\.script/);
    expect(mainText).toMatch(/const startChild = utilityProcessStarter\(utilityProcess\)/);
    expect(mainText).toMatch(/createHost\(\{ home, env, startChild[,} ]/);
    expect(mainText).not.toMatch(/from 'node:child_process'|require\('child_process'\)/);
    // RunAsNode is a fuse the packaged app turns off: no code may set or need it.
    for (const file of sourceFiles(path.join(ROOT, 'electron'))) {
      expect(withoutComments(parse(file)), path.relative(ROOT, file)).not.toMatch(/ELECTRON_RUN_AS_NODE\s*=|\.ELECTRON_RUN_AS_NODE\s*=|ELECTRON_RUN_AS_NODE:/);
    }
  });

  it('one host per data folder: the app claims server.json and serves the loopback API before it creates the host', () => {
    expect(mainText).toMatch(/startLoopbackHost\(\{/);
    expect(mainText).toMatch(/hostname: '127\.0\.0\.1'/);
    expect(mainText).not.toMatch(/from '\.\.\/server\//);
    // Quitting with tasks at work asks first.
    expect(mainText).toMatch(/app\.on\('before-quit'/);
    expect(mainText).toMatch(/workingTasks\(\)/);
    expect(mainText).toMatch(/dialog\.showMessageBox\(/);
  });

  it('a strict CSP: the renderer meta equals the headers, default-src self, no unsafe-eval', () => {
    const directives = (csp: string) => csp.split(';').map((d) => d.trim().replace(/\s+/g, ' ')).filter(Boolean).sort();
    expect(RENDERER_CSP).toMatch(/^default-src 'self'(;|$)/);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval/);
    expect(RENDERER_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(`${RENDERER_CSP}; frame-ancestors 'none'`);
    // The source page and the built one the app loads (test/globalSetup.ts builds it when missing).
    for (const html of [path.join(ROOT, 'renderer', 'index.html'), path.join(ROOT, 'out', 'renderer', 'index.html')]) {
      const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(fs.readFileSync(html, 'utf8'));
      expect(meta, `${path.relative(ROOT, html)} has a CSP meta`).not.toBeNull();
      expect(directives(meta?.[1] ?? '')).toEqual(directives(RENDERER_CSP));
    }
  });
});
