import { Fragment, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReviewComment } from '../../../../shared/model/reviewComment.js';
import { useAppStore, useClient } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import { nextDraft, type CommentDraft } from '../comments/commentDraft.js';
import { CommentDraftContext, DraftComposer } from '../comments/DraftComposer.js';
import { InlineComments } from '../comments/InlineComments.js';
import { ReviewCommentsPanel } from '../comments/ReviewCommentsPanel.js';
import { commentsByLine, useReviewComments } from '../comments/useReviewComments.js';
import type { LineComments, LineFocus } from './LibraryPatch.js';
import { prepareDiffWorker } from './diffBundles.js';
import { FileDiffView } from './FileDiffView.js';
import { FileTree, type TreeRow } from './FileTree.js';
import { isViewed, loadLayout, patchHash, saveLayout, setViewed, viewedKey, type DiffLayout } from './reviewPrefs.js';
import { useDocumentTheme } from './useDocumentTheme.js';
import { useCheckpointTurns, useTaskDiff } from './useTaskDiff.js';
import './review.css';

/** Keys typed into a field are the field's, never a review shortcut. */
function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** Files at the top first, then folder by folder: the tree's order, and so j/k's and the diffs'. */
function byFolder<T extends { path: string }>(files: readonly T[]): T[] {
  const folder = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  return [...files].sort((a, b) => {
    const [fa, fb] = [folder(a.path), folder(b.path)];
    if (fa !== fb) return fa === '' ? -1 : fb === '' ? 1 : fa < fb ? -1 : 1;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
}

const NO_COMMENTS: readonly ReviewComment[] = [];
/** How long a line jumped to stays flashed and forced into view, ms (the flash itself is 2 s). */
const FOCUS_MS = 4000;

type Row = TreeRow & { key: string };

export function ChangesView({ taskId, version }: { taskId: string; version: string }) {
  const client = useClient();
  const [turn, setTurn] = useState<number | null>(null);
  const state = useTaskDiff(client, taskId, version, turn);
  useEffect(prepareDiffWorker, []);
  const turns = useCheckpointTurns(client, taskId, version);
  const [layout, setLayout] = useState<DiffLayout>(loadLayout);
  const theme = useDocumentTheme();
  const [currentIndex, setCurrentIndex] = useState(0);
  // Bumped on each tick so rows re-read localStorage; the store itself is the truth.
  const [viewedVersion, setViewedVersion] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const status = useAppStore((app) => app.tasks[taskId]?.status);
  const commentsState = useReviewComments(client, taskId);
  const comments = commentsState.status === 'ready' ? commentsState.comments : NO_COMMENTS;
  // Comments are made and sent while the task waits in Review; older ones stay readable after.
  const isInReview = status === 'review';
  const showComments = isInReview || comments.length > 0;

  const diff = state.status === 'ready' ? state.diff : null;
  const uncommittedDiff = state.status === 'ready' ? state.uncommittedDiff : null;
  const uncommitted = useMemo(() => new Set(state.status === 'ready' ? state.uncommitted : []), [state]);
  // Committed files first, then (when the host sent them) the worktree's uncommitted ones.
  const rows = useMemo<Row[]>(() => {
    const committed = byFolder(diff?.files ?? []).map((file) => {
      const key = viewedKey(taskId, file.path, patchHash(file.patch || `${file.change}:${file.additions}:${file.deletions}`));
      return { file, key, uncommitted: uncommitted.has(file.path) ? ('also' as const) : null };
    });
    const worktree = byFolder(uncommittedDiff?.files ?? []).map((file) => {
      const key = viewedKey(taskId, `uncommitted:${file.path}`, patchHash(file.patch || `${file.change}:${file.additions}:${file.deletions}`));
      return { file, key, uncommitted: 'section' as const };
    });
    return [...committed, ...worktree].map((row, index) => ({ ...row, index, isViewed: isViewed(row.key) }));
    // viewedVersion: re-read the ticks after one changes.
  }, [diff, uncommittedDiff, taskId, uncommitted, viewedVersion]);
  const [draft, setDraft] = useState<CommentDraft | null>(null);
  const draftContext = useMemo(() => ({ draft, clear: () => setDraft(null) }), [draft]);
  const [focus, setFocus] = useState<{ path: string; focus: LineFocus } | null>(null);
  useEffect(() => {
    if (!focus) return;
    const timer = setTimeout(() => setFocus(null), FOCUS_MS);
    return () => clearTimeout(timer);
  }, [focus]);
  const lineCommentsByPath = useMemo(() => {
    const byPath = new Map<string, LineComments>();
    if (!showComments) return byPath;
    for (const { file, uncommitted: part } of rows) {
      // The host takes comments on the committed diff's lines only.
      if (part === 'section') continue;
      const byLine = commentsByLine(comments, file.path);
      byPath.set(file.path, {
        side: file.change === 'deleted' ? 'old' : 'new',
        byLine,
        renderComments: (line) => <InlineComments comments={byLine.get(line) ?? []} />,
        renderComposer: (line, onClose) => <DraftComposer taskId={taskId} file={file.path} line={line} canComment={isInReview} onClose={onClose} />,
        onLineChosen: (line, extend) => setDraft((previous) => nextDraft(previous, file.path, line, extend)),
      });
    }
    return byPath;
  }, [rows, comments, showComments, isInReview, taskId]);
  const anchor = useCallback((index: number) => `diff-${taskId}-${index}`, [taskId]);

  const chooseLayout = (next: DiffLayout) => {
    setLayout(next);
    saveLayout(next);
  };
  const toggleViewed = useCallback(
    (key: string) => {
      const row = rows.find((r) => r.key === key);
      if (!row) return;
      setViewed(row.key, !row.isViewed);
      setViewedVersion((v) => v + 1);
    },
    [rows],
  );
  const goTo = useCallback(
    (index: number) => {
      if (rows.length === 0) return;
      const next = Math.max(0, Math.min(rows.length - 1, index));
      setCurrentIndex(next);
      document.getElementById(anchor(next))?.scrollIntoView({ block: 'start' });
    },
    [rows.length, anchor],
  );

  // To the file, then (once its lines are drawn) the comment's first line, flashed with the rest of its range.
  const selectComment = useCallback(
    (comment: ReviewComment) => {
      const row = rows.find((r) => r.file.path === comment.file && r.uncommitted !== 'section');
      if (!row) return;
      goTo(row.index);
      const side = row.file.change === 'deleted' ? 'old' : 'new';
      setFocus({ path: row.file.path, focus: { side, start: comment.startLine, end: comment.endLine, nonce: Date.now() } });
    },
    [rows, goTo],
  );

  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const onKey = (event: KeyboardEvent) => {
      // Only while the Changes panel is on screen, and never with a modifier (app shortcuts).
      if (root.offsetParent === null || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (event.key === 'j' || event.key === 'n') goTo(currentIndex + 1);
      else if (event.key === 'k' || event.key === 'p') goTo(currentIndex - 1);
      else if (event.key === 'v') {
        const row = rows[currentIndex];
        if (row) toggleViewed(row.key);
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goTo, currentIndex, rows, toggleViewed]);

  // Without the host's uncommitted contents (an older host, or a turn's diff): their paths at least.
  const missingUncommitted =
    state.status === 'ready' && !uncommittedDiff ? state.uncommitted.filter((p) => !diff?.files.some((f) => f.path === p)) : [];
  const firstUncommittedIndex = rows.findIndex((r) => r.uncommitted === 'section');
  const additions = diff?.files.reduce((n, f) => n + f.additions, 0) ?? 0;
  const deletions = diff?.files.reduce((n, f) => n + f.deletions, 0) ?? 0;
  const viewedCount = rows.filter((r) => r.isViewed).length;

  return (
    <div className="changes" ref={rootRef} aria-busy={state.status === 'ready' && state.isRefreshing}>
      <div className="changes-toolbar">
        <label>
          Show{' '}
          <select value={turn ?? ''} onChange={(e) => setTurn(e.target.value === '' ? null : Number(e.target.value))} aria-label="Which changes">
            <option value="">Whole task (against merge base)</option>
            {turns.map((t) => (
              <option key={t} value={t}>
                Turn {t}
              </option>
            ))}
          </select>
        </label>
        <div className="segmented" role="group" aria-label="Diff layout">
          <button type="button" aria-pressed={layout === 'unified'} onClick={() => chooseLayout('unified')}>
            Unified
          </button>
          <button type="button" aria-pressed={layout === 'split'} onClick={() => chooseLayout('split')}>
            Split
          </button>
        </div>
        <span className="muted changes-keys">
          <kbd>j</kbd>/<kbd>k</kbd> or <kbd>n</kbd>/<kbd>p</kbd> next/previous file · <kbd>v</kbd> viewed
        </span>
      </div>
      {state.status === 'loading' && <p className="muted pad">Loading changes…</p>}
      {state.status === 'error' && (
        <p className="form-error pad" role="alert">
          <InertText text={state.message} />
        </p>
      )}
      {diff && (
        <>
          <div className="changes-summary">
            <span>
              {diff.files.length} {diff.files.length === 1 ? 'file' : 'files'} changed
            </span>
            {uncommittedDiff && uncommittedDiff.files.length > 0 && (
              <span className="uncommitted-flag">{uncommittedDiff.files.length} uncommitted</span>
            )}
            <span className="stat-add">+{additions}</span>
            <span className="stat-del">−{deletions}</span>
            <span className="muted">
              {viewedCount}/{rows.length} viewed
            </span>
            <span className="muted mono" title={`${diff.fromCommit}..${diff.toCommit}`}>
              {diff.fromCommit.slice(0, 8)}..{diff.toCommit.slice(0, 8)}
            </span>
          </div>
          {missingUncommitted.length > 0 && (
            <p className="uncommitted-note" role="note">
              Uncommitted, not in this diff yet (a merge refuses them unless included):{' '}
              <span className="mono">
                <InertText text={missingUncommitted.join(', ')} />
              </span>
            </p>
          )}
          {rows.length === 0 ? (
            <p className="muted pad">No changes yet.</p>
          ) : (
            <div className="changes-body">
              <div className="changes-side">
                <nav className="changes-tree" aria-label="Files">
                  <FileTree rows={rows} currentIndex={currentIndex} onSelect={goTo} />
                </nav>
                {showComments && (
                  <ReviewCommentsPanel taskId={taskId} comments={commentsState} canRequestChanges={isInReview} onSelect={selectComment} />
                )}
              </div>
              <CommentDraftContext.Provider value={draftContext}>
                <div className="changes-files">
                  {rows.map((row) => {
                    const isCommitted = row.uncommitted !== 'section';
                    return (
                      <Fragment key={`${turn ?? 'all'}:${row.key}`}>
                        {row.index === firstUncommittedIndex && (
                          <h3 className="changes-section-head">
                            Uncommitted <span className="muted">in the task&apos;s worktree, not committed yet: a merge refuses them unless included</span>
                          </h3>
                        )}
                        <FileDiffView
                          file={row.file}
                          anchorId={anchor(row.index)}
                          layout={layout}
                          theme={theme}
                          isViewed={row.isViewed}
                          viewedKey={row.key}
                          uncommitted={row.uncommitted}
                          isCurrent={row.index === currentIndex}
                          onToggleViewed={toggleViewed}
                          lineComments={isCommitted ? lineCommentsByPath.get(row.file.path) : undefined}
                          marked={isCommitted && draft?.path === row.file.path ? { side: row.file.change === 'deleted' ? 'old' : 'new', start: draft.start, end: draft.end } : null}
                          focus={isCommitted && focus?.path === row.file.path ? focus.focus : null}
                        />
                      </Fragment>
                    );
                  })}
                </div>
              </CommentDraftContext.Provider>
            </div>
          )}
        </>
      )}
    </div>
  );
}
