import { useClient } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import { ChangeBadge, FileDiffView } from './FileDiffView.js';
import { useTaskDiff } from './useTaskDiff.js';
import './review.css';

export function ChangesView({ taskId, version }: { taskId: string; version: string }) {
  const client = useClient();
  const state = useTaskDiff(client, taskId, version);

  if (state.status === 'loading') return <p className="muted pad">Loading changes…</p>;
  if (state.status === 'error') {
    return (
      <p className="form-error pad" role="alert">
        <InertText text={state.message} />
      </p>
    );
  }
  const { diff } = state;
  if (diff.files.length === 0) return <p className="muted pad">No changes yet.</p>;
  const additions = diff.files.reduce((n, f) => n + f.additions, 0);
  const deletions = diff.files.reduce((n, f) => n + f.deletions, 0);
  const anchor = (index: number) => `diff-${taskId}-${index}`;
  return (
    <div className="changes" aria-busy={state.isRefreshing}>
      <div className="changes-summary">
        <span>
          {diff.files.length} {diff.files.length === 1 ? 'file' : 'files'} changed
        </span>
        <span className="stat-add">+{additions}</span>
        <span className="stat-del">−{deletions}</span>
        <span className="muted mono" title={`${diff.fromCommit}..${diff.toCommit}`}>
          {diff.fromCommit.slice(0, 8)}..{diff.toCommit.slice(0, 8)}
        </span>
      </div>
      <ul className="file-list" aria-label="Changed files">
        {diff.files.map((file, index) => (
          <li key={file.path}>
            <a className="file-link" href={`#${anchor(index)}`} onClick={(e) => {
              // The page hash is not ours to change (the Electron app has one URL): scroll instead.
              e.preventDefault();
              document.getElementById(anchor(index))?.scrollIntoView({ block: 'start' });
            }}>
              <ChangeBadge change={file.change} />
              <span className="mono file-link-path truncate">
                <InertText text={file.path} />
              </span>
              <span className="stat-add">+{file.additions}</span>
              <span className="stat-del">−{file.deletions}</span>
            </a>
          </li>
        ))}
      </ul>
      {diff.files.map((file, index) => (
        <FileDiffView key={file.path} file={file} anchorId={anchor(index)} />
      ))}
    </div>
  );
}
