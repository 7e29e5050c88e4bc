// The react package's copy of the types: the page draws with it (at run time both are core's class).
import type { DiffFile } from '@git-diff-view/react';

/** What @git-diff-view/core's DiffFile hands over to be rebuilt elsewhere (plain, cloneable data). */
export type DiffBundle = ReturnType<DiffFile['_getFullBundle']>;

/** Page → worker: build one piece's bundle, or forget a request not started yet. */
export type BundleRequest =
  | { kind: 'build'; id: number; oldName: string; newName: string; patch: string; theme: 'light' | 'dark' }
  | { kind: 'cancel'; id: number };

/** Worker → page: the bundle, or why it could not be built (the page then builds it itself). */
export type BundleResponse = { id: number; bundle: DiffBundle } | { id: number; error: string };
