import { DiffModeEnum, DiffView } from '@git-diff-view/react';
import '@git-diff-view/react/styles/diff-view-pure.css';
import { memo, useMemo } from 'react';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { NearViewport } from './NearViewport.js';
import { splitPatchIntoChunks } from './patchChunks.js';
import { countPatchLines } from './patchLines.js';
import type { DiffLayout } from './reviewPrefs.js';

/**
 * Lines per piece drawn at once: the library parses, highlights (highlight.js) and lays out
 * a piece in one main-thread task; 80 lines halved the longest task against 200 in
 * `npm run bench -- review` (one piece is mounted per frame).
 */
export const CHUNK_LINES = 80;
/** Rough drawn height of one line in px, for the placeholder of a piece not drawn yet. */
export const LINE_HEIGHT_PX = 20;

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
  layout,
  theme,
}: {
  path: string;
  oldPath: string | null;
  patch: string;
  layout: DiffLayout;
  theme: 'light' | 'dark';
}) {
  const pieces = useMemo(() => splitPatchIntoChunks(visiblePatch(patch), CHUNK_LINES), [patch]);
  return (
    <div className="library-patch">
      {pieces.map((piece, index) => (
        <NearViewport key={index} estimatedHeight={countPatchLines(piece) * LINE_HEIGHT_PX}>
          <PatchPiece path={path} oldPath={oldPath} piece={piece} layout={layout} theme={theme} />
        </NearViewport>
      ))}
    </div>
  );
});

const PatchPiece = memo(function PatchPiece({
  path,
  oldPath,
  piece,
  layout,
  theme,
}: {
  path: string;
  oldPath: string | null;
  piece: string;
  layout: DiffLayout;
  theme: 'light' | 'dark';
}) {
  const data = useMemo(() => ({ oldFile: { fileName: oldPath ?? path }, newFile: { fileName: path }, hunks: [piece] }), [path, oldPath, piece]);
  return (
    <DiffView
      data={data}
      diffViewMode={layout === 'split' ? DiffModeEnum.Split : DiffModeEnum.Unified}
      diffViewTheme={theme}
      diffViewHighlight
      diffViewWrap={false}
      diffViewFontSize={12}
    />
  );
});

/** Each line made visible on its own, so the newlines that separate lines stay newlines. */
function visiblePatch(patch: string): string {
  return patch
    .split('\n')
    .map((line) => visibleText(line))
    .join('\n');
}
