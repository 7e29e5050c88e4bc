import { InertText } from '../../components/InertText.js';
import { FileNames } from './FileNames.js';
import './merge.css';

/**
 * A merge (or discard) that did not happen: the host's words, then the files it named, if any
 * (those that conflict, or for a `protected` refusal those that need approving).
 */
export function MergeFailure({ message, files, kind }: { message: string; files: readonly string[]; kind?: string }) {
  const label = kind === 'protected' ? 'Protected files to approve' : 'Conflicting files';
  return (
    <div className="form-error" role="alert">
      <p>
        <InertText text={message} />
      </p>
      {files.length > 0 && <FileNames files={files} label={label} className="conflict-files" />}
    </div>
  );
}
