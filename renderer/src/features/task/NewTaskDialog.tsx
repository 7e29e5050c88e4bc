import { useEffect, useState, type FormEvent } from 'react';
import { useActions, useAppStore, useClient } from '../../appContext.js';
import { DialogActions } from '../../components/DialogActions.js';
import { FormError } from '../../components/FormError.js';
import { Modal } from '../../components/Modal.js';
import { selectRepos } from '../../state/selectors.js';
import { PolicyFields } from '../approvals/PolicyFields.js';
import { DEFAULT_POLICY_CHOICE, policyBlocker, policyCreateInput, type PolicyChoice } from '../approvals/policyChoices.js';
import { useBranches } from './useBranches.js';
import { DEFAULT_PROVIDER_CHOICE, ProviderFields, providerCreateInput, type ProviderChoice } from './ProviderFields.js';
import { useTaskCall } from './useTaskCall.js';

export function NewTaskDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const repos = useAppStore(selectRepos);
  const { openTask, openDialog } = useActions();
  const [repoChoice, setRepoChoice] = useState<string | null>(null);
  // Until the user picks, follow the first repo (the list can arrive after the dialog opens).
  const repoId = repoChoice ?? repos[0]?.id ?? null;
  const branches = useBranches(client, repoId);
  const [baseChoice, setBaseChoice] = useState<{ repoId: string; branch: string } | null>(null);
  const baseBranch =
    baseChoice && baseChoice.repoId === repoId ? baseChoice.branch : branches.status === 'ready' ? branches.current : '';
  const [title, setTitle] = useState('');
  const [prompt, setPrompt] = useState('');
  const [isBacklog, setIsBacklog] = useState(false);
  const [policy, setPolicy] = useState<PolicyChoice>(DEFAULT_POLICY_CHOICE);
  const [providerChoice, setProviderChoice] = useState<ProviderChoice>(DEFAULT_PROVIDER_CHOICE);
  const blocker = policyBlocker(policy);
  // Start from the default policy in Settings, unless the user already chose something.
  useEffect(() => {
    let isCurrent = true;
    client
      .invoke('settings.get', {})
      .then(({ settings }) => {
        if (!isCurrent) return;
        setPolicy((current) =>
          current === DEFAULT_POLICY_CHOICE
            ? { mode: settings.defaultSandbox, allowNetwork: settings.defaultNetwork, approval: settings.defaultApproval, isFullAccessConfirmed: false }
            : current,
        );
      })
      .catch(() => {
        // The built-in defaults stay: they are the safe ones.
      });
    return () => {
      isCurrent = false;
    };
  }, [client]);
  const call = useTaskCall();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (repoId === null) {
      call.setError('Add a repository first.');
      return;
    }
    if (prompt.trim() === '') {
      call.setError('Write a prompt: it is what the agent will work on.');
      return;
    }
    // Ctrl+Enter submits even while the button is off: the same rule holds here.
    if (blocker !== null) {
      call.setError(blocker);
      return;
    }
    const result = await call.run((c) =>
      c.invoke('tasks.create', {
        repo: repoId,
        prompt,
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(baseBranch ? { baseBranch } : {}),
        start: !isBacklog,
        ...policyCreateInput(policy),
        ...providerCreateInput(providerChoice),
      }),
    );
    if (result.ok) {
      // A backlog task is a note for later: stay on the board, ready for the next one.
      if (!isBacklog) openTask(result.task.id);
      onClose();
    }
  }

  return (
    <Modal title="New task" onClose={onClose} className="modal-wide">
      <form className="form" onSubmit={submit} noValidate>
        <div className="field-row">
          <label className="field">
            <span className="field-label">Repository</span>
            <select className="input" value={repoId ?? ''} onChange={(e) => setRepoChoice(e.target.value)} disabled={repos.length === 0}>
              {repos.length === 0 && <option value="">No repositories yet</option>}
              {repos.map((repo) => (
                <option key={repo.id} value={repo.id} title={repo.path}>
                  {repo.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Base branch</span>
            <select
              className="input mono"
              value={baseBranch}
              onChange={(e) => repoId && setBaseChoice({ repoId, branch: e.target.value })}
              disabled={branches.status !== 'ready'}
            >
              {branches.status === 'ready' ? (
                branches.branches.map((branch) => (
                  <option key={branch} value={branch}>
                    {branch}
                    {branch === branches.current ? ' (current)' : ''}
                  </option>
                ))
              ) : (
                <option value="">{branches.status === 'loading' ? 'Loading…' : '—'}</option>
              )}
            </select>
          </label>
        </div>
        {repos.length === 0 && (
          <p className="field-hint">
            No repositories yet.{' '}
            <button type="button" className="link" onClick={() => openDialog('addRepo')}>
              Add a repo
            </button>{' '}
            first.
          </p>
        )}
        <FormError message={branches.status === 'error' ? branches.message : null} />
        <label className="field">
          <span className="field-label">
            Title <span className="field-optional">(optional)</span>
          </span>
          <input className="input" type="text" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} autoComplete="off" />
        </label>
        <label className="field">
          <span className="field-label">Prompt</span>
          <textarea
            className="input textarea"
            value={prompt}
            rows={7}
            onChange={(e) => setPrompt(e.target.value)}
            placeholder="What should the agent do? Be as specific as you would be with a colleague."
            onKeyDown={(e) => {
              // Ctrl/Cmd+Enter submits from the prompt, as in most chat-like inputs.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
            }}
          />
        </label>
        <ProviderFields choice={providerChoice} onChange={setProviderChoice} />
        <PolicyFields
          choice={policy}
          onChange={(next) => {
            setPolicy(next);
            call.setError(null);
          }}
        />
        <label className="check-row check-row-field">
          <input type="checkbox" checked={isBacklog} onChange={(e) => setIsBacklog(e.target.checked)} />
          <span>
            Put in Backlog <span className="field-optional">— create it now, start it later</span>
          </span>
        </label>
        <DialogActions
          error={call.error}
          note={
            <>
              {isBacklog ? 'Waits in the Backlog until you start it.' : `Runs in its own worktree, ${policy.mode === 'full-access' ? 'without a sandbox' : 'sandboxed'}.`}{' '}
              Ctrl+Enter to create.
            </>
          }
          onCancel={onClose}
          action={{ label: isBacklog ? 'Add to Backlog' : 'Create task', isDisabled: call.isBusy || blocker !== null, title: blocker ?? undefined }}
        />
      </form>
    </Modal>
  );
}
