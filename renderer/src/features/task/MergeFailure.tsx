import { InertText } from '../../components/InertText.js';
import { FileNames } from './FileNames.js';
import './merge.css';

/** A merge (or discard) that did not happen: the host's words, then the files that conflict, if any. */
export function MergeFailure({ message, files }: { message: string; files: readonly string[] }) {
  return (
    <div className="form-error" role="alert">
      <p>
        <InertText text={message} />
      </p>
      {files.length > 0 && <FileNames files={files} label="Conflicting files" className="conflict-files" />}
    </div>
  );
}
