import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds the UI into out/renderer. `base: './'` because the same files are served from
 * the Electron custom protocol (flotilla://app/) and from the headless server's root, so
 * every asset URL must be relative. Vite injects `import.meta.dirname` for config files,
 * which keeps the build independent of the current directory.
 */
const rendererDir = import.meta.dirname;

/**
 * Source imports are written `./x.js` (NodeNext) and mean `./x.ts`. Vite takes a `.js` file
 * when one exists on disk, so a stray compiled copy beside a source (shared/*.js from an old
 * `tsc` run) would silently ship an outdated contract. The TypeScript source always wins.
 */
function preferTypeScriptSources(): Plugin {
  return {
    name: 'flotilla:prefer-typescript-sources',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (importer === undefined || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const stem = source.slice(0, -'.js'.length);
      for (const candidate of [`${stem}.ts`, `${stem}.tsx`]) {
        const resolved = await this.resolve(candidate, importer, { skipSelf: true });
        if (resolved) return resolved;
      }
      return null;
    },
  };
}

export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [preferTypeScriptSources(), react()],
  build: {
    outDir: `${rendererDir}/../out/renderer`,
    emptyOutDir: true,
    // The CSP forbids inline scripts; keep even tiny assets as files (no data: scripts).
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: { port: 4598, strictPort: true },
  preview: { port: 4599 },
});
