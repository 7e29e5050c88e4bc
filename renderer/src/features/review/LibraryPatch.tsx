import { DiffModeEnum, DiffView, SplitSide, type DiffFile } from '@git-diff-view/react';
import '@git-diff-view/react/styles/diff-view-pure.css';
import { memo, startTransition, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { buildPieceOffThread } from './diffBundles.js';
import { lineMarkCss, lineRowSelector, type LineSpan } from './lineMarks.js';
import { NearViewport, scheduleMount } from './NearViewport.js';
import { pieceHolding, splitPatchIntoChunks } from './patchChunks.js';
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
  /** A line number's add button was pressed; `extend`: with Shift, to stretch a range to it. */
  onLineChosen: (line: number, extend: boolean) => void;
};

/**
 * Lines per piece drawn at once. Parsing and highlighting run in a worker; what is left on the
 * main thread is React and layout for the piece's rows (one piece per frame).
 */
export const CHUNK_LINES = 40;
/** Rough drawn height of one line in px, for the placeholder of a piece not drawn yet. */
export const LINE_HEIGHT_PX = 20;

/** Where the view must go: a line range to scroll to and flash; `nonce` repeats the same place. */
export interface LineFocus extends LineSpan {
  nonce: number;
}

let nextPatchId = 1;

/**
 * One file's patch (as git printed it, from `diff --git` on) drawn by @git-diff-view/react:
 * split or unified, word-level changes, highlighting. The library escapes every line it
 * draws (its templates go through escapeHtml), so the agent's bytes stay text; hidden
 * characters (ESC, bidi overrides, …) are turned into visible marks line by line first.
 * `marked` tints lines (a range being commented on); `focus` brings a line into view and flashes it.
 */
export const LibraryPatch = memo(function LibraryPatch({
  path,
  oldPath,
  patch,
  layout,
  theme,
  lineComments,
  marked,
  focus,
}: {
  path: string;
  oldPath: string | null;
  patch: string;
  layout: DiffLayout;
  theme: 'light' | 'dark';
  lineComments?: LineComments | undefined;
  marked?: LineSpan | null | undefined;
  focus?: LineFocus | null | undefined;
}) {
  const pieces = useMemo(() => splitPatchIntoChunks(visiblePatch(patch), CHUNK_LINES), [patch]);
  const [patchId] = useState(() => String(nextPatchId++));
  const rootRef = useRef<HTMLDivElement>(null);
  // Read by the add button's handler, which the library calls without the event.
  const isShiftDown = useRef(false);
  const focusedPiece = focus ? pieceHolding(pieces, focus.side, focus.start) : -1;
  // The piece whose composer is open stays drawn however far the page scrolls (its text is kept).
  const draftPieces = marked ? [pieceHolding(pieces, marked.side, marked.start), pieceHolding(pieces, marked.side, marked.end)] : [];
  useRevealFocus(rootRef, focus, focusedPiece);
  const css = lineMarkCss(`[data-patch="${patchId}"]`, marked ?? null, focus ? { ...focus, flash: focus.nonce } : null);
  return (
    <div
      className="library-patch"
      data-patch={patchId}
      ref={rootRef}
      onMouseDownCapture={(event) => {
        isShiftDown.current = event.shiftKey;
      }}
    >
      {css && <style>{css}</style>}
      {pieces.map((piece, index) => (
        <NearViewport
          key={index}
          estimatedHeight={countPatchLines(piece) * LINE_HEIGHT_PX}
          isForced={index === focusedPiece || draftPieces.includes(index)}
          dropWhenFar
        >
          <PatchPiece
            path={path}
            oldPath={oldPath}
            piece={piece}
            layout={layout}
            theme={theme}
            lineComments={lineComments}
            isShiftDown={isShiftDown}
            pieceIndex={index}
          />
        </NearViewport>
      ))}
    </div>
  );
});

/**
 * Scrolls to the focused piece at once (its placeholder, so the page moves before it is drawn),
 * then, once the line is drawn, centres it. Gives up after 5 s (a line the diff does not show).
 */
function useRevealFocus(rootRef: RefObject<HTMLDivElement | null>, focus: LineFocus | null | undefined, pieceIndex: number): void {
  useEffect(() => {
    const root = rootRef.current;
    if (!root || !focus || pieceIndex < 0) return;
    const selector = lineRowSelector('', focus.side, focus.start);
    const started = performance.now();
    let hasReachedPiece = false;
    let frame = 0;
    const look = () => {
      const row = root.querySelector(selector);
      if (row) return row.scrollIntoView({ block: 'center' });
      const piece = hasReachedPiece ? null : root.querySelector(`[data-piece="${pieceIndex}"]`);
      if (piece) {
        piece.scrollIntoView({ block: 'center' });
        hasReachedPiece = true;
      }
      if (performance.now() - started < 5000) frame = requestAnimationFrame(look);
    };
    look();
    return () => cancelAnimationFrame(frame);
  }, [rootRef, focus, pieceIndex]);
}

/** A piece the library draws: until its bundle comes from the worker, a placeholder of about its height. */
const PatchPiece = memo(function PatchPiece({
  path,
  oldPath,
  piece,
  layout,
  theme,
  lineComments,
  isShiftDown,
  pieceIndex,
}: {
  path: string;
  oldPath: string | null;
  piece: string;
  layout: DiffLayout;
  theme: 'light' | 'dark';
  lineComments: LineComments | undefined;
  isShiftDown: RefObject<boolean>;
  pieceIndex: number;
}) {
  const built = useBuiltPiece(oldPath ?? path, path, piece, theme);
  // Only without a worker: the library parses and highlights here, on the main thread.
  const data = useMemo(
    () => (built === 'here' ? { oldFile: { fileName: oldPath ?? path }, newFile: { fileName: path }, hunks: [piece] } : undefined),
    [built, path, oldPath, piece],
  );
  // The library keys extend data by line number as a string, per side.
  const extendData = useMemo(() => {
    if (!lineComments) return undefined;
    const lines: Record<string, { data: number }> = {};
    for (const line of lineComments.byLine.keys()) lines[String(line)] = { data: line };
    return lineComments.side === 'new' ? { newFile: lines } : { oldFile: lines };
  }, [lineComments]);
  if (built === null) {
    return <div className="lazy-placeholder" data-piece={pieceIndex} style={{ height: countPatchLines(piece) * LINE_HEIGHT_PX }} aria-busy="true" />;
  }
  const commentSide = lineComments?.side === 'old' ? SplitSide.old : SplitSide.new;
  return (
    // Its estimated height stands in while off screen (content-visibility), until drawn once.
    <div className="patch-piece" data-piece={pieceIndex} style={{ containIntrinsicSize: `auto ${countPatchLines(piece) * LINE_HEIGHT_PX}px` }}>
      <DiffView
        {...(built === 'here' ? { data } : { diffFile: built })}
        diffViewMode={layout === 'split' ? DiffModeEnum.Split : DiffModeEnum.Unified}
        diffViewTheme={theme}
        diffViewHighlight
        diffViewWrap={false}
        diffViewFontSize={12}
        diffViewAddWidget={lineComments !== undefined}
        extendData={extendData}
        onAddWidgetClick={(line, side) => {
          if (lineComments && side === commentSide) lineComments.onLineChosen(line, isShiftDown.current);
        }}
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
    </div>
  );
});

/**
 * The piece parsed and highlighted by the worker, drawn one piece per frame: null while it is
 * being built, 'here' when there is no worker (the library then builds it on this thread).
 * The rows are rendered as a transition, so React can cut that work into short tasks.
 * The theme only names CSS classes, so a theme switch does not rebuild.
 */
function useBuiltPiece(oldName: string, newName: string, patch: string, theme: 'light' | 'dark'): DiffFile | 'here' | null {
  const [built, setBuilt] = useState<DiffFile | 'here' | null>(null);
  const themeAtStart = useRef(theme);
  const drawnRef = useRef<(() => void) | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    let cancelDraw = () => {};
    void buildPieceOffThread({ oldName, newName, patch }, themeAtStart.current, abort.signal).then((file) => {
      if (abort.signal.aborted) return;
      cancelDraw = scheduleMount((drawn) => {
        drawnRef.current = drawn;
        // A transition: React builds the piece's rows in slices of a few ms, yielding to scrolling.
        startTransition(() => setBuilt(file ?? 'here'));
      });
    });
    return () => {
      abort.abort();
      cancelDraw();
      drawnRef.current?.();
    };
  }, [oldName, newName, patch]);
  useEffect(() => {
    if (built !== null) drawnRef.current?.();
  }, [built]);
  return built;
}

/** Each line made visible on its own, so the newlines that separate lines stay newlines. */
function visiblePatch(patch: string): string {
  return patch
    .split('\n')
    .map((line) => visibleText(line))
    .join('\n');
}
