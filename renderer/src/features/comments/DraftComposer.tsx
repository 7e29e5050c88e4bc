import { createContext, useContext } from 'react';
import { CommentComposer } from './CommentComposer.js';
import type { CommentDraft } from './commentDraft.js';

/**
 * The open draft, read by the composer drawn under a line. A context rather than a prop: a new
 * draft then redraws the composers alone, not every piece of every file's diff.
 */
export const CommentDraftContext = createContext<{ draft: CommentDraft | null; clear: () => void }>({ draft: null, clear: () => {} });

/**
 * What the library draws under a line whose add button was pressed: the composer for the
 * draft's range when this is the draft's line; nothing for a composer left open elsewhere
 * (another piece of the file); a note when comments cannot be added now.
 */
export function DraftComposer(props: { taskId: string; file: string; line: number; canComment: boolean; onClose: () => void }) {
  const { draft, clear } = useContext(CommentDraftContext);
  if (!props.canComment) {
    return (
      <p className="line-comment-note" role="note">
        Comments are added while the task is in Review.{' '}
        <button type="button" className="link" onClick={props.onClose}>
          Close
        </button>
      </p>
    );
  }
  if (!draft || draft.path !== props.file || draft.at !== props.line) return null;
  return (
    <div className="line-comment-composer">
      <CommentComposer
        taskId={props.taskId}
        file={props.file}
        startLine={draft.start}
        endLine={draft.end}
        onDone={() => {
          clear();
          props.onClose();
        }}
      />
    </div>
  );
}
