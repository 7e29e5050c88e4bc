import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { ApprovalRequest } from '../../../../shared/model/approval.js';
import type { Task } from '../../../../shared/model/task.js';
import { FormError } from '../../components/FormError.js';
import { InertText } from '../../components/InertText.js';
import { useTaskCall } from '../task/useTaskCall.js';
import { ApprovalIcon } from './ApprovalIcon.js';
import { approvalShortcutFor, type ApprovalShortcut } from './approvalShortcut.js';
import { approvalHeadline, taskScopeText, wideningItems } from './approvalText.js';
import { useIsArmed } from './useIsArmed.js';
import './approvals.css';

/**
 * The top of the task view while the agent waits: what it asks (the command, its reason, the
 * exact widening), and the three answers. Keys: A once, Shift+A for the task, D to deny.
 * Keyed by request id by its parent, so a new request starts with the denial form closed.
 */
export function ApprovalPanel({ task, request, scope }: { task: Task; request: ApprovalRequest; scope: RefObject<HTMLElement | null> }) {
  const call = useTaskCall();
  const isArmed = useIsArmed(request.requestId);
  const [isDenying, setIsDenying] = useState(false);
  const [message, setMessage] = useState('');
  const messageRef = useRef<HTMLInputElement>(null);
  const messageId = useId();
  const isOff = !isArmed || call.isBusy;
  const items = wideningItems(request.widening);

  const approve = (scopeOfGrant: 'once' | 'task') =>
    void call.run((client) => client.invoke('tasks.approve', { id: task.id, scope: scopeOfGrant }));

  function openDenial() {
    setIsDenying(true);
    // Already open: a second D just brings focus back to the message.
    messageRef.current?.focus();
  }

  async function sendDenial(event: FormEvent) {
    event.preventDefault();
    if (call.isBusy) return;
    const text = message.trim();
    await call.run((client) => client.invoke('tasks.deny', text === '' ? { id: task.id } : { id: task.id, message: text }));
  }

  useEffect(() => {
    if (isDenying) messageRef.current?.focus();
  }, [isDenying]);

  useApprovalKeys({
    taskId: task.id,
    scope,
    isArmed: isArmed && !call.isBusy,
    onShortcut: (shortcut) => {
      if (shortcut === 'approve_once') approve('once');
      else if (shortcut === 'approve_task') approve('task');
      else openDenial();
    },
  });

  return (
    <section role="region" aria-label="Approval request" className="approval-panel" data-kind={request.kind}>
      <h3 className="approval-title">
        <ApprovalIcon size={16} />
        {approvalHeadline(request)}
      </h3>
      <dl className="approval-facts">
        <dt>Command</dt>
        <dd>
          <pre className="approval-command code-block">
            <InertText text={request.command} />
          </pre>
        </dd>
        <dt>Reason</dt>
        <dd>{request.reason.trim() !== '' ? <q className="approval-reason">
              <InertText text={request.reason} />
            </q> : <span className="muted">The agent gave no reason.</span>}</dd>
        <dt>{request.kind === 'escalation' ? 'Asks for' : 'Runs'}</dt>
        <dd>
          {items.length > 0 ? (
            <ul className="approval-widening">
              {items.map((item) => (
                <li key={item}>
                  <InertText text={item} />
                </li>
              ))}
            </ul>
          ) : (
            <span>inside the sandbox as usual; the task’s approval policy asks before commands that may change things</span>
          )}
        </dd>
      </dl>
      <div className="approval-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={isOff}
          aria-keyshortcuts="A"
          title="Approve once (A): this command runs this time; the next request asks again"
          onClick={() => approve('once')}
        >
          Approve once <kbd className="kbd kbd-on-accent" aria-hidden="true">A</kbd>
        </button>
        <button
          type="button"
          className="btn"
          disabled={isOff}
          aria-keyshortcuts="Shift+A"
          title={`Approve for this task (Shift+A): ${taskScopeText(request)}`}
          onClick={() => approve('task')}
        >
          Approve for this task <kbd className="kbd" aria-hidden="true">⇧A</kbd>
        </button>
        <button
          type="button"
          className="btn btn-danger-quiet"
          disabled={call.isBusy}
          aria-keyshortcuts="D"
          aria-expanded={isDenying}
          title="Deny (D): the agent is told no, with your message if you write one"
          onClick={openDenial}
        >
          Deny <kbd className="kbd" aria-hidden="true">D</kbd>
        </button>
      </div>
      <p className="approval-scope">
        For this task: <InertText text={taskScopeText(request)} />.
      </p>
      {isDenying && (
        <form className="approval-deny" onSubmit={sendDenial} aria-label="Deny the request">
          <label className="field-label" htmlFor={messageId}>
            Message to the agent <span className="field-optional">(optional)</span>
          </label>
          <div className="approval-deny-row">
            <input
              ref={messageRef}
              id={messageId}
              className="input"
              type="text"
              maxLength={4000}
              value={message}
              placeholder="e.g. Use the vendored copy in third_party/ instead."
              autoComplete="off"
              onChange={(e) => setMessage(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault();
                  setIsDenying(false);
                }
              }}
            />
            <button type="submit" className="btn btn-danger" disabled={call.isBusy}>
              Send denial
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setIsDenying(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <FormError message={call.error} />
    </section>
  );
}

/**
 * Listens for the approval keys on the window while the panel shows. In scope: focus inside
 * the task view, on this task's card, or nowhere in particular (the page body); a key pressed
 * on another task's card or in a dialog is about that, not this request.
 */
function useApprovalKeys(opts: {
  taskId: string;
  scope: RefObject<HTMLElement | null>;
  isArmed: boolean;
  onShortcut: (shortcut: ApprovalShortcut) => void;
}): void {
  const latest = useRef(opts);
  useEffect(() => {
    latest.current = opts;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const { taskId, scope, isArmed, onShortcut } = latest.current;
      if (event.defaultPrevented) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const isInScope =
        target === null ||
        target === document.body ||
        target === document.documentElement ||
        (scope.current?.contains(target) ?? false) ||
        target.closest(`[data-task-id="${CSS.escape(taskId)}"]`) !== null;
      const shortcut = approvalShortcutFor(event, { target, isArmed, isInScope });
      if (shortcut === null) return;
      event.preventDefault();
      onShortcut(shortcut);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
