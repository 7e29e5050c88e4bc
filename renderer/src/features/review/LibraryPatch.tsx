import { DiffModeEnum, DiffView, SplitSide } from '@git-diff-view/react';
import '@git-diff-view/react/styles/diff-view-pure.css';
import { memo, useMemo, type ReactNode } from 'react';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { NearViewport } from './NearViewport.js';
import { splitPatchIntoChunks } from './patchChunks.js';
import { countPatchLines } from './patchLines.js';
import type { DiffLayout } from './reviewPrefs.js';

/**
 * Comments drawn under their lines and a composer opened from a line number. Lines are the
 * file's as the task left it (new side); a deleted file has only old lines, so those.
 */
export type LineComments = {
  side: 'new' | 'old';
  /** The comments ending on each line, already drawn by `renderComments`. */
  byLine: ReadonlyMap<number, unknown>;
  renderComments: (line: number) => ReactNode;
  renderComposer: (line: number, onClose: () => void) => ReactNode;
};

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
  lineComments,
}: {
  path: string;
  oldPath: string | null;
  patch: string;
  layout: DiffLayout;
  theme: 'light' | 'dark';
  lineComments?: LineComments | undefined;
}) {
  const pieces = useMemo(() => splitPatchIntoChunks(visiblePatch(patch), CHUNK_LINES), [patch]);
  return (
    <div className="library-patch">
      {pieces.map((piece, index) => (
        <NearViewport key={index} estimatedHeight={countPatchLines(piece) * LINE_HEIGHT_PX}>
          <PatchPiece path={path} oldPath={oldPath} piece={piece} layout={layout} theme={theme} lineComments={lineComments} />
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
  lineComments,
}: {
  path: string;
  oldPath: string | null;
  piece: string;
  layout: DiffLayout;
  theme: 'light' | 'dark';
  lineComments: LineComments | undefined;
}) {
  const data = useMemo(() => ({ oldFile: { fileName: oldPath ?? path }, newFile: { fileName: path }, hunks: [piece] }), [path, oldPath, piece]);
  // The library keys extend data by line number as a string, per side.
  const extendData = useMemo(() => {
    if (!lineComments) return undefined;
    const lines: Record<string, { data: number }> = {};
    for (const line of lineComments.byLine.keys()) lines[String(line)] = { data: line };
    return lineComments.side === 'new' ? { newFile: lines } : { oldFile: lines };
  }, [lineComments]);
  const commentSide = lineComments?.side === 'old' ? SplitSide.old : SplitSide.new;
  return (
    <DiffView
      data={data}
      diffViewMode={layout === 'split' ? DiffModeEnum.Split : DiffModeEnum.Unified}
      diffViewTheme={theme}
      diffViewHighlight
      diffViewWrap={false}
      diffViewFontSize={12}
      diffViewAddWidget={lineComments !== undefined}
      extendData={extendData}
      renderExtendLine={({ side, lineNumber }) => (lineComments && side === commentSide ? lineComments.renderComments(lineNumber) : null)}
      renderWidgetLine={({ side, lineNumber, onClose }) =>
        lineComments && side === commentSide ? (
          lineComments.renderComposer(lineNumber, onClose)
        ) : (
          <p className="line-comment-note" role="note">
            Comments go on the {lineComments?.side === 'old' ? 'old' : 'new'} side&apos;s line numbers.{' '}
            <button type="button" className="link" onClick={onClose}>
              Close
            </button>
          </p>
        )
      }
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
