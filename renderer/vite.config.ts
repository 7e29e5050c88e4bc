import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds the UI into out/renderer. `base: './'` because the same files are served from
 * the Electron custom protocol (flotilla://app/) and from the headless server's root, so
 * every asset URL must be relative. Vite injects `import.meta.dirname` for config files,
 * which keeps the build independent of the current directory.
 */
const rendererDir = import.meta.dirname;

export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [react()],
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
