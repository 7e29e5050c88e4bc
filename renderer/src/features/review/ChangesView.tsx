import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReviewComment } from '../../../../shared/model/reviewComment.js';
import { useAppStore, useClient } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import { CommentComposer } from '../comments/CommentComposer.js';
import { InlineComments } from '../comments/InlineComments.js';
import { ReviewCommentsPanel } from '../comments/ReviewCommentsPanel.js';
import { commentsByLine, useReviewComments } from '../comments/useReviewComments.js';
import type { LineComments } from './LibraryPatch.js';
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

export function ChangesView({ taskId, version }: { taskId: string; version: string }) {
  const client = useClient();
  const [turn, setTurn] = useState<number | null>(null);
  const state = useTaskDiff(client, taskId, version, turn);
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
  const uncommitted = useMemo(() => new Set(state.status === 'ready' ? state.uncommitted : []), [state]);
  const rows = useMemo<(TreeRow & { key: string })[]>(
    () =>
      byFolder(diff?.files ?? []).map((file, index) => {
        const key = viewedKey(taskId, file.path, patchHash(file.patch || `${file.change}:${file.additions}:${file.deletions}`));
        return { file, index, key, isViewed: isViewed(key), isUncommitted: uncommitted.has(file.path) };
      }),
    // viewedVersion: re-read the ticks after one changes.
    [diff, taskId, uncommitted, viewedVersion],
  );
  const lineCommentsByPath = useMemo(() => {
    const byPath = new Map<string, LineComments>();
    if (!showComments) return byPath;
    for (const { file } of rows) {
      const byLine = commentsByLine(comments, file.path);
      byPath.set(file.path, {
        side: file.change === 'deleted' ? 'old' : 'new',
        byLine,
        renderComments: (line) => <InlineComments comments={byLine.get(line) ?? []} />,
        renderComposer: (line, onClose) =>
          isInReview ? (
            <div className="line-comment-composer">
              <CommentComposer taskId={taskId} file={file.path} startLine={line} endLine={line} onDone={onClose} />
            </div>
          ) : (
            <p className="line-comment-note" role="note">
              Comments are added while the task is in Review.{' '}
              <button type="button" className="link" onClick={onClose}>
                Close
              </button>
            </p>
          ),
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
    (path: string) => {
      const row = rows.find((r) => r.file.path === path);
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

  const selectComment = useCallback(
    (comment: ReviewComment) => {
      const row = rows.find((r) => r.file.path === comment.file);
      if (row) goTo(row.index);
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
        if (row) toggleViewed(row.file.path);
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goTo, currentIndex, rows, toggleViewed]);

  const missingUncommitted = state.status === 'ready' ? state.uncommitted.filter((p) => !diff?.files.some((f) => f.path === p)) : [];
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
          {diff.files.length === 0 ? (
            <p className="muted pad">No changes yet.</p>
          ) : (
            <div className="changes-body">
              <div className="changes-side">
                <nav className="changes-tree" aria-label="Files">
                  <FileTree rows={rows} currentIndex={currentIndex} onSelect={goTo} />
                </nav>
                {showComments && <ReviewCommentsPanel taskId={taskId} canRequestChanges={isInReview} onSelect={selectComment} />}
              </div>
              <div className="changes-files">
                {rows.map((row) => (
                  <FileDiffView
                    key={`${turn ?? 'all'}:${row.key}`}
                    file={row.file}
                    anchorId={anchor(row.index)}
                    layout={layout}
                    theme={theme}
                    isViewed={row.isViewed}
                    isUncommitted={row.isUncommitted}
                    isCurrent={row.index === currentIndex}
                    onToggleViewed={toggleViewed}
                    lineComments={lineCommentsByPath.get(row.file.path)}
                  />
                ))}
              </div>
            </div>
          )}
        </>
      )}
    </div>
  );
}
