// electron-builder afterPack hook: sets Electron's fuses in the packaged binary, before it is
// signed (electron-builder signs after this hook). Fuses are bits in the binary that turn
// features off for good; a packaged Flotilla needs none of these, and each is a way in.
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuses of a packaged Flotilla, by @electron/fuses' option index. */
export const FLOTILLA_FUSES = {
  // `ELECTRON_RUN_AS_NODE=1 Flotilla script.js` would run any script with the app's identity
  // (and its macOS permissions): workers use utilityProcess instead.
  [FuseV1Options.RunAsNode]: false,
  // Cookies encrypted at rest with the OS keychain.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (--require a script) and --inspect would let anyone who can set the app's
  // environment or arguments run code inside it.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar is checked against the hash electron-builder records (Info.plist on macOS, a
  // resource on Windows), and only app.asar is loaded: no swapped-in app/ folder.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The UI comes from the flotilla:// protocol, never file://.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The file that holds the fuse wire: the .app on macOS (@electron/fuses finds its framework), else the executable. */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${productFilename}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

export default async function afterPack(context) {
  // Arch 3 is arm64 in electron-builder's enum: Apple silicon refuses to run a binary whose
  // ad-hoc signature no longer matches, so re-sign it ad hoc (real signing comes next).
  const isAppleSilicon = context.electronPlatformName === 'darwin' && context.arch === 3;
  await flipFuses(electronBinary(context), { version: FuseVersion.V1, resetAdHocDarwinSignature: isAppleSilicon, ...FLOTILLA_FUSES });
}
