import { useState } from 'react';
import { useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { useCall } from '../../components/useCall.js';
import { InertText } from '../../components/InertText.js';

/**
 * A comment on lines `startLine`–`endLine` of `file` (of the file as the task left it), for the
 * diff view to open under a line or a selected range. The host refuses lines the diff does not
 * show; the reason is shown as is.
 */
export function CommentComposer(props: { taskId: string; file: string; startLine: number; endLine: number; onDone: () => void }) {
  const client = useClient();
  const call = useCall();
  const [text, setText] = useState('');
  const lines = props.startLine === props.endLine ? `line ${props.startLine}` : `lines ${props.startLine}–${props.endLine}`;
  const submit = async () => {
    if (text.trim() === '') return call.setError('Write a comment first.');
    const result = await call.run(() =>
      client.invoke('tasks.comment', { id: props.taskId, file: props.file, startLine: props.startLine, endLine: props.endLine, text }),
    );
    if (result.ok) props.onDone();
  };
  return (
    <form
      className="comment-composer"
      aria-label={`Comment on ${lines}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="comment-composer-target">
        <InertText text={props.file} /> · {lines}
        {props.startLine === props.endLine && <span className="comment-composer-hint"> · Shift-click another line number for a range</span>}
      </div>
      <textarea
        autoFocus
        value={text}
        placeholder="What should the agent change here?"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void submit();
          if (event.key === 'Escape') props.onDone();
        }}
      />
      <FormError message={call.error} />
      <div className="comment-composer-actions">
        <button type="button" className="btn" onClick={props.onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={call.isBusy}>
          Add comment
        </button>
      </div>
    </form>
  );
}
