import type { ReactNode } from 'react';
import type { FileDiff } from '../../../../shared/model/diff.js';
import { InertText } from '../../components/InertText.js';
import { ChangeBadge } from './FileDiffView.js';

export interface TreeRow {
  file: FileDiff;
  index: number;
  isViewed: boolean;
  /** As FileDiffView's: the uncommitted section's row, a committed file changed since too, or neither. */
  uncommitted: 'section' | 'also' | null;
}

/** The folder of a path ('' at the top), to group the tree by folder. */
function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * The changed files by folder, each with its +/- counts, a viewed tick, and flags for
 * sensitive and uncommitted files. Rows are in the order of the diff (git sorts by path),
 * so a folder's files are together and a folder heading is shown when it changes. The
 * uncommitted files (when the host sent their contents) follow under their own heading.
 */
export function FileTree({ rows, currentIndex, onSelect }: { rows: TreeRow[]; currentIndex: number; onSelect: (index: number) => void }) {
  let lastFolder: string | null = null;
  let isInUncommitted = false;
  const items = rows.flatMap((row) => {
    const section: ReactNode[] = [];
    if (row.uncommitted === 'section' && !isInUncommitted) {
      isInUncommitted = true;
      lastFolder = null;
      section.push(
        <li key="section:uncommitted" className="tree-section">
          Uncommitted
        </li>,
      );
    }
    const folder = folderOf(row.file.path);
    const heading =
      folder !== lastFolder && folder !== '' ? (
        <li key={`dir:${isInUncommitted ? 'u:' : ''}${folder}`} className="tree-folder mono truncate" aria-hidden="true">
          <InertText text={`${folder}/`} />
        </li>
      ) : null;
    lastFolder = folder;
    const name = folder === '' ? row.file.path : row.file.path.slice(folder.length + 1);
    const item = (
      <li key={`${row.uncommitted === 'section' ? 'u:' : ''}${row.file.path}`} data-depth={folder === '' ? 0 : 1}>
        <button
          type="button"
          className="file-link"
          aria-current={row.index === currentIndex || undefined}
          data-viewed={row.isViewed || undefined}
          title={row.uncommitted === 'section' ? `${row.file.path} (uncommitted)` : row.file.path}
          onClick={() => onSelect(row.index)}
        >
          <span className="tree-tick" aria-label={row.isViewed ? 'viewed' : undefined}>
            {row.isViewed ? '✓' : ''}
          </span>
          <ChangeBadge change={row.file.change} />
          <span className="mono file-link-path truncate">
            <InertText text={name} />
          </span>
          {row.file.sensitive && (
            <span className="sensitive-dot" title={`Execution-sensitive: ${row.file.sensitiveReason ?? 'runs code'}`}>
              ⚠
            </span>
          )}
          {row.uncommitted !== null && (
            <span className="uncommitted-dot" title={row.uncommitted === 'section' ? 'Uncommitted' : 'Uncommitted changes too'}>
              ●
            </span>
          )}
          <span className="stat-add">+{row.file.additions}</span>
          <span className="stat-del">−{row.file.deletions}</span>
        </button>
      </li>
    );
    return [...section, ...(heading ? [heading] : []), item];
  });
  return (
    <ul className="file-list file-tree" aria-label="Changed files">
      {items}
    </ul>
  );
}
