import { memo, useEffect, useState } from 'react';
import type { FileDiff } from '../../../../shared/model/diff.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { InertText } from '../../components/InertText.js';
import { isGeneratedPath } from './isGeneratedPath.js';
import { LibraryPatch, LINE_HEIGHT_PX, type LineComments, type LineFocus } from './LibraryPatch.js';
import type { LineSpan } from './lineMarks.js';
import { NearViewport } from './NearViewport.js';
import { countPatchLines } from './patchLines.js';
import type { DiffLayout } from './reviewPrefs.js';
import './review.css';

/** ~500 lines is more than a screenful twice over: past it, the user opts in. */
export const COLLAPSE_OVER_LINES = 500;

export function isCollapsedByDefault(file: FileDiff): boolean {
  return file.change === 'binary' || isGeneratedPath(file.path) || countPatchLines(file.patch) > COLLAPSE_OVER_LINES;
}

const CHANGE_LABELS: Record<FileDiff['change'], string> = {
  added: 'Added',
  modified: 'Modified',
  deleted: 'Deleted',
  renamed: 'Renamed',
  binary: 'Binary',
};

export function ChangeBadge({ change }: { change: FileDiff['change'] }) {
  return <span className={`change change-${change}`}>{CHANGE_LABELS[change]}</span>;
}

export function SensitiveFlag({ reason }: { reason: string | null }) {
  const why = reason ?? 'runs code';
  return (
    <span className="sensitive-flag" title={`Execution-sensitive: ${why}. Something runs this file; read it closely.`}>
      ⚠ Sensitive: {why}
    </span>
  );
}

function collapsedWhy(file: FileDiff, lineCount: number): string {
  if (file.change === 'binary') return 'Binary file';
  if (isGeneratedPath(file.path)) return 'Generated or lock file';
  return `${lineCount} lines`;
}

export const FileDiffView = memo(function FileDiffView({
  file,
  anchorId,
  layout,
  theme,
  isViewed,
  viewedKey,
  uncommitted,
  isCurrent,
  onToggleViewed,
  lineComments,
  marked,
  focus,
}: {
  file: FileDiff;
  anchorId: string;
  layout: DiffLayout;
  theme: 'light' | 'dark';
  isViewed: boolean;
  /** What `onToggleViewed` is called with: the row's key for its viewed tick. */
  viewedKey: string;
  /**
   * 'section': this is the worktree's uncommitted change of the file; 'also': the committed
   * change of a file that has uncommitted changes too (shown further down when the host sent
   * them); null: committed only.
   */
  uncommitted: 'section' | 'also' | null;
  isCurrent: boolean;
  onToggleViewed: (viewedKey: string) => void;
  /** Comments under their lines and a composer on the line numbers; none: the diff alone. */
  lineComments?: LineComments | undefined;
  /** Lines tinted: a range being picked for a comment. */
  marked?: LineSpan | null | undefined;
  /** Lines to bring into view and flash (a comment chosen in the panel): expands the file. */
  focus?: LineFocus | null | undefined;
}) {
  const [isExpanded, setIsExpanded] = useState(() => !isCollapsedByDefault(file) && !isViewed);
  useEffect(() => {
    if (focus) setIsExpanded(true);
  }, [focus]);
  const lineCount = countPatchLines(file.patch);
  const bodyId = `${anchorId}-body`;
  const isSection = uncommitted === 'section';
  return (
    <section
      className={isSection ? 'file is-uncommitted' : 'file'}
      id={anchorId}
      aria-label={visibleText(isSection ? `${file.path} (uncommitted)` : file.path)}
      data-current={isCurrent || undefined}
      data-viewed={isViewed || undefined}
    >
      <div className="file-head">
        <button type="button" className="file-toggle" aria-expanded={isExpanded} aria-controls={bodyId} onClick={() => setIsExpanded((v) => !v)}>
          <span className="chevron" aria-hidden="true" />
          <span className="file-path mono truncate">
            <InertText text={file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path} />
          </span>
        </button>
        <ChangeBadge change={file.change} />
        {file.sensitive && <SensitiveFlag reason={file.sensitiveReason} />}
        {isSection && (
          <span className="uncommitted-flag" title="In the task's worktree, not committed: a merge refuses it unless included">
            Uncommitted
          </span>
        )}
        {uncommitted === 'also' && <span className="uncommitted-flag">Uncommitted changes too</span>}
        <span className="stat-add" aria-label={`${file.additions} additions`}>
          +{file.additions}
        </span>
        <span className="stat-del" aria-label={`${file.deletions} deletions`}>
          −{file.deletions}
        </span>
        <label className="viewed-toggle">
          <input type="checkbox" checked={isViewed} onChange={() => onToggleViewed(viewedKey)} />
          Viewed
        </label>
      </div>
      <div id={bodyId} className="file-body" hidden={!isExpanded}>
        {isExpanded &&
          (file.change === 'binary' || file.patch === '' ? (
            <p className="file-note">Binary file not shown.</p>
          ) : (
            // Not even cut into pieces until near the view: 300 files open as 300 headers.
            // Dropped again when far (its pieces and their observers with it); kept while a comment is written in it.
            <NearViewport estimatedHeight={lineCount * LINE_HEIGHT_PX} isForced={Boolean(focus) || Boolean(marked)} dropWhenFar>
              <LibraryPatch
                path={file.path}
                oldPath={file.oldPath}
                patch={file.patch}
                layout={layout}
                theme={theme}
                lineComments={lineComments}
                marked={marked}
                focus={focus}
              />
            </NearViewport>
          ))}
        {isExpanded && file.isTruncated && <p className="file-note">This patch was too large to send whole; the rest is cut.</p>}
      </div>
      {!isExpanded && (
        <p className="file-note">
          {isViewed ? 'Viewed' : collapsedWhy(file, lineCount)} — collapsed.{' '}
          <button type="button" className="link" onClick={() => setIsExpanded(true)}>
            Show diff
          </button>
        </p>
      )}
    </section>
  );
});
