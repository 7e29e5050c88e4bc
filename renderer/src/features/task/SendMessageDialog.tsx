import { useState, type FormEvent } from 'react';
import type { Task } from '../../../../shared/model/task.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { DialogActions } from '../../components/DialogActions.js';
import { Modal } from '../../components/Modal.js';
import type { SendMode } from '../board/dropRules.js';
import { useTaskCall } from './useTaskCall.js';

/** What a turn asked for from the board says when the user does not write their own. */
export const DEFAULT_CONTINUE_MESSAGE = 'Continue where you left off.';

const COPY: Record<SendMode, { title: string; action: string; intro: (task: Task) => string }> = {
  follow_up: {
    title: 'Send a follow-up',
    action: 'Send',
    intro: (task) => `Another turn for “${visibleText(task.title)}” in the same worktree and conversation.`,
  },
  resume: {
    title: 'Resume task',
    action: 'Resume',
    intro: (task) =>
      `“${visibleText(task.title)}” is ${task.status}. Resuming runs another turn in the same worktree; the agent is told the last command may not have finished.`,
  },
};

/** Asks for the message of the next turn (a drop on In progress, or the Move menu), then sends it. */
export function SendMessageDialog({ task, mode, onClose }: { task: Task; mode: SendMode; onClose: () => void }) {
  const [message, setMessage] = useState(DEFAULT_CONTINUE_MESSAGE);
  const call = useTaskCall();
  const copy = COPY[mode];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = message.trim();
    if (text === '') return;
    const result = await call.run((client) => client.invoke('tasks.send', { id: task.id, message: text }));
    if (result.ok) onClose();
  }

  return (
    <Modal title={copy.title} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="modal-text">{copy.intro(task)}</p>
        <label className="field">
          <span className="field-label">Message</span>
          <textarea
            className="input textarea"
            rows={4}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            onFocus={(e) => e.currentTarget.select()}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
            }}
          />
        </label>
        <DialogActions
          error={call.error}
          note="Ctrl+Enter to send."
          onCancel={onClose}
          action={{ label: copy.action, isDisabled: call.isBusy || message.trim() === '' }}
        />
      </form>
    </Modal>
  );
}
