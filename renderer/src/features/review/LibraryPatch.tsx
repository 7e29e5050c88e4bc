import { DiffModeEnum, DiffView } from '@git-diff-view/react';
import '@git-diff-view/react/styles/diff-view-pure.css';
import { memo, useMemo } from 'react';
import { visibleText } from '../../../../shared/model/visibleText.js';
import type { DiffLayout } from './reviewPrefs.js';

/**
 * Past this many patch lines, no syntax highlighting: highlight.js runs on the main thread
 * and a 10k-line file would block it for seconds. Word-level changes still show.
 */
export const HIGHLIGHT_MAX_LINES = 3000;

/**
 * One file's patch (as git printed it, from `diff --git` on) drawn by @git-diff-view/react:
 * split or unified, word-level changes, highlighting. The library escapes every line it
 * draws (its templates go through escapeHtml), so the agent's bytes stay text; hidden
 * characters (ESC, bidi overrides, …) are turned into visible marks line by line first.
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
    () => ({ oldFile: { fileName: oldPath ?? path }, newFile: { fileName: path }, hunks: [visiblePatch(patch)] }),
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

/** Each line made visible on its own, so the newlines that separate lines stay newlines. */
function visiblePatch(patch: string): string {
  return patch
    .split('\n')
    .map((line) => visibleText(line))
    .join('\n');
}
