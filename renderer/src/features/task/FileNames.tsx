import { InertText } from '../../components/InertText.js';

/** A list of file names from the host (the agent chose them: shown inert, one per line, in mono). */
export function FileNames({ files, label, className }: { files: readonly string[]; label: string; className: string }) {
  return (
    <ul className={className} aria-label={label}>
      {files.map((file) => (
        <li key={file} className="mono">
          <InertText text={file} />
        </li>
      ))}
    </ul>
  );
}
