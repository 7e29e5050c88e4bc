import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layering is enforced here and by the per-folder tsconfigs:
 * - shared/ imports only zod and itself (no Node, no DOM, no electron);
 * - electron/core never imports 'electron' (it must run under plain Node), nor any transport:
 *   core ← transport (what every transport shares) ← server (headless) and main (Electron);
 * - electron/main reaches the host through core and transport, never the headless server;
 * - renderer/ never imports from electron/ (it talks to the host only through the contract).
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'url', 'events', 'stream'];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'bench/results/**', 'test-results/**', '**/*-tmp.mjs'] },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSAsExpression > TSAnyKeyword', message: 'No `as any`.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*', '../electron/**', '../../electron/**'], message: 'shared/ cannot import electron.' },
            { group: ['../renderer/**', '../../renderer/**'], message: 'shared/ cannot import the renderer.' },
            { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins.' },
            { group: ['react', 'react-dom', 'zustand', 'openai', 'better-sqlite3', 'ws'], message: 'shared/ imports only zod.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'electron/core runs under plain Node: no electron imports.' }],
          patterns: [
            { group: ['**/main/**', '**/preload/**'], message: 'core cannot depend on the Electron adapter.' },
            { group: ['**/server/**', '**/transport/**'], message: 'core is below every transport: it cannot import electron/server or electron/transport.' },
            { group: ['**/renderer/**'], message: 'The host cannot import the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/transport/**/*.ts'],
    // Its tests may borrow the server's test host.
    ignores: ['electron/transport/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'electron/transport is shared with the headless server: no electron imports.' }],
          patterns: [
            { group: ['**/main/**', '**/preload/**', '**/server/**'], message: 'transport is what main and server share: it imports neither.' },
            { group: ['**/renderer/**'], message: 'The host cannot import the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'electron/server runs under plain Node: no electron imports.' }],
          patterns: [
            { group: ['**/main/**', '**/preload/**'], message: 'server cannot depend on the Electron adapter.' },
            { group: ['**/renderer/**'], message: 'The host cannot import the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**'], message: 'main reaches the host through electron/core and electron/transport, never the headless server.' },
            { group: ['**/renderer/**'], message: 'The host cannot import the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the host only through the contract.' }],
          patterns: [
            { group: ['**/electron/**'], message: 'The renderer cannot import host code.' },
            { group: nodeBuiltins, message: 'The renderer has no Node.' },
          ],
        },
      ],
    },
  },
);
