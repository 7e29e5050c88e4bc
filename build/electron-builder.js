// electron-builder configuration: `npm run dist` (bin/dist.js) builds this platform's installers
// into dist/ with it (`electron-builder --config build/electron-builder.js`; paths below are from
// the project folder). Checked against electron-builder's own schema by test/packaging.test.ts.
//
// Updates: electron-updater reads the feed this build was given. Set FLOTILLA_UPDATE_URL (a
// folder served over https holding latest*.yml and the installers) when running `npm run dist`;
// without it the app has no feed and "Check for updates" says updates are off.
const updateUrl = process.env.FLOTILLA_UPDATE_URL?.trim();

/** @type {import('app-builder-lib').Configuration} */
export default {
  appId: 'dev.flotilla.app',
  productName: 'Flotilla',
  copyright: 'Copyright © 2026 the Flotilla authors',
  directories: { output: 'dist', buildResources: 'build' },

  // The build in out/ and the production dependencies (electron-builder adds those itself).
  files: [
    'package.json',
    'out/electron/**/*.{js,cjs}',
    'out/shared/**/*.js',
    'out/renderer/**/*',
    '!out/native/**',
    // Source maps and type declarations help no one at run time (openai alone ships ~2,000).
    '!**/*.{map,d.ts,d.mts,d.cts}',
    // The renderer's libraries are bundled into out/renderer by Vite; the host imports none.
    '!node_modules/{react,react-dom,scheduler,zustand,@dnd-kit,@xterm/xterm,@xterm/addon-fit,@xterm/addon-search,@xterm/addon-web-links,@xterm/addon-webgl}/**',
    // Sources and Node's build of the addons: the app loads better-sqlite3's Electron build
    // from resources/native, and node-pty needs only its lib/ and binaries.
    '!node_modules/better-sqlite3/{build,deps,src}/**',
    '!node_modules/node-pty/{deps,src,third_party,scripts,typings}/**',
    '!node_modules/node-pty/build/Release/{obj.target,.deps}/**',
    '!node_modules/node-pty/build/{Makefile,*.mk,config.gypi}',
  ],
  asar: true,
  // Outside the archive, because the OS loads or runs them, never Electron's asar reader:
  // node-pty's pty.node (dlopen) and, on macOS, its spawn-helper (exec); on Windows its
  // conpty/winpty agents. The host's own scripts (agent worker, pty host, mirror worker) stay
  // inside: utilityProcess and worker threads read app.asar, and there the integrity fuse
  // covers them. The seccomp filter is generated at run time, not shipped.
  asarUnpack: ['node_modules/node-pty/**'],
  // better-sqlite3 built for this Electron by bin/electronNative.js, loaded by path from
  // resources/native (electron/core/util/nativeModules.ts).
  extraResources: [{ from: 'out/native/electron-${platform}-${arch}', to: 'native', filter: ['*.node', 'manifest.json'] }],
  // node_modules is Node's (tests, CLI): rebuilding it here would swap its binaries for
  // Electron's. The Electron builds come from out/native instead.
  npmRebuild: false,
  // Electron fuses (RunAsNode off and the rest): see build/afterPack.js.
  afterPack: './build/afterPack.js',

  publish: updateUrl ? [{ provider: 'generic', url: updateUrl }] : null,

  mac: {
    category: 'public.app-category.developer-tools',
    // zip beside the dmg: electron-updater installs updates on macOS from the zip.
    target: ['dmg', 'zip'],
    icon: 'build/icon.icns',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    icon: 'build/icons',
    executableName: 'flotilla',
    synopsis: 'Run a fleet of coding agents in parallel, safely',
    maintainer: 'Flotilla <flotilla@users.noreply.github.com>',
  },
  deb: {
    // electron-builder's defaults, plus bubblewrap: agent commands never run without it.
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'bubblewrap'],
  },

  win: { target: ['nsis'], icon: 'build/icon.ico' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
};
