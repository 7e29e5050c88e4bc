import { DiffModeEnum, DiffView } from '@git-diff-view/react';
import '@git-diff-view/react/styles/diff-view-pure.css';
import { memo, useMemo } from 'react';
import type { DiffLayout } from './reviewPrefs.js';

/**
 * Past this many patch lines, no syntax highlighting: highlight.js runs on the main thread
 * and a 10k-line file would block it for seconds. Word-level changes still show.
 */
export const HIGHLIGHT_MAX_LINES = 3000;

/**
 * One file's patch (as git printed it, from `diff --git` on) drawn by @git-diff-view/react:
 * split or unified, word-level changes, highlighting. The library escapes every line it
 * draws (its templates go through escapeHtml), so the agent's bytes stay text.
 */
export const LibraryPatch = memo(function LibraryPatch({
  path,
  oldPath,
  patch,
  lineCount,
  layout,
  theme,
}: {
  path: string;
  oldPath: string | null;
  patch: string;
  lineCount: number;
  layout: DiffLayout;
  theme: 'light' | 'dark';
}) {
  const data = useMemo(
    () => ({ oldFile: { fileName: oldPath ?? path }, newFile: { fileName: path }, hunks: [patch] }),
    [path, oldPath, patch],
  );
  return (
    <div className="library-patch">
      <DiffView
        data={data}
        diffViewMode={layout === 'split' ? DiffModeEnum.Split : DiffModeEnum.Unified}
        diffViewTheme={theme}
        diffViewHighlight={lineCount <= HIGHLIGHT_MAX_LINES}
        diffViewWrap={false}
        diffViewFontSize={12}
      />
    </div>
  );
});
