import { InertText } from '../../components/InertText.js';
import './merge.css';

/** A merge (or discard) that did not happen: the host's words, then the files that conflict, if any. */
export function MergeFailure({ message, files }: { message: string; files: readonly string[] }) {
  return (
    <div className="form-error" role="alert">
      <p>
        <InertText text={message} />
      </p>
      {files.length > 0 && (
        <ul className="conflict-files" aria-label="Conflicting files">
          {files.map((file) => (
            <li key={file} className="mono">
              <InertText text={file} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
