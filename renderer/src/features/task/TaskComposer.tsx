import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_RESUME_MESSAGE } from '../../../../shared/model/resume.js';
import type { Task } from '../../../../shared/model/task.js';
import { FormError } from '../../components/FormError.js';
import { sendModeOf } from '../board/dropRules.js';
import { useTaskCall } from './useTaskCall.js';
import './taskComposer.css';

/**
 * The bottom of the task view: a follow-up box for a task that finished a turn (Review,
 * Needs input), or Resume, with an optional message, for one that stopped, failed or was
 * interrupted. Nothing for tasks that are working, waiting in the Backlog, or finished.
 */
export function TaskComposer({ task }: { task: Task }) {
  const mode = sendModeOf(task.status);
  const [message, setMessage] = useState('');
  const call = useTaskCall();
  const fieldId = useId();
  if (mode === null) return null;
  if (task.pendingApproval !== null) {
    // Answering the request is the next step; a new message would start a turn beside it.
    return (
      <p className="composer composer-note" role="status">
        The agent is waiting for your answer to its request above: approve or deny it to let the agent go on.
      </p>
    );
  }
  const isResume = mode === 'resume';
  const text = message.trim();
  const canSend = !call.isBusy && (isResume || text !== '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSend) return;
    const result = await call.run((client) =>
      client.invoke('tasks.send', { id: task.id, message: text === '' ? DEFAULT_RESUME_MESSAGE : text }),
    );
    if (result.ok) setMessage('');
  }

  return (
    <form className="composer" onSubmit={submit} aria-label={isResume ? 'Resume the task' : 'Follow-up'}>
      <label className="composer-label" htmlFor={fieldId}>
        {isResume ? (
          <>
            Message <span className="field-optional">(optional)</span>
          </>
        ) : (
          'Message'
        )}
      </label>
      <div className="composer-row">
        <textarea
          id={fieldId}
          className="input textarea composer-input"
          rows={2}
          value={message}
          placeholder={isResume ? 'Continue where you left off.' : 'Ask for a change, or answer the agent…'}
          onChange={(e) => setMessage(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
          }}
        />
        <button type="submit" className="btn btn-primary" disabled={!canSend}>
          {isResume ? 'Resume' : 'Send'}
        </button>
      </div>
      <FormError message={call.error} />
    </form>
  );
}
