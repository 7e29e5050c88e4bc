import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '../../../../shared/model/settings.js';
import { useClient } from '../../appContext.js';
import { Modal } from '../../components/Modal.js';
import { TabList, tabIds } from '../../components/TabList.js';
import { errorMessage } from '../../state/startSync.js';
import { DiskSettings } from './DiskSettings.js';
import { ReposSettings } from './ReposSettings.js';
import { ProvidersSettings } from './ProvidersSettings.js';
import { draftOf, planSave, type DraftField, type SettingsDraft } from './settingsForm.js';
import { useSettings } from './useSettings.js';
import { useHistoryUsage, type HistoryUsageState } from './useHistoryUsage.js';
import { formatBytes } from './diskRows.js';
import './settings.css';

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'failed'; message: string };

const SETTINGS_TABS = ['general', 'providers', 'disk'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];
const TAB_LABELS: Record<SettingsTab, string> = { general: 'General', providers: 'Providers', disk: 'Disk' };

export function SettingsDialog({ onClose, initialTab = 'general' }: { onClose: () => void; initialTab?: SettingsTab }) {
  const client = useClient();
  const loaded = useSettings(client);
  const baseId = useId();
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  // The Disk tab measures every worktree (`du`): only once it is first opened, then kept mounted
  // so switching back and forth neither re-measures nor loses a half-edited General form.
  const [hasOpenedDisk, setHasOpenedDisk] = useState(false);
  const select = (next: SettingsTab) => {
    setTab(next);
    if (next === 'disk') setHasOpenedDisk(true);
  };
  const ids = (t: SettingsTab) => tabIds(baseId, t);
  return (
    <Modal title="Settings" onClose={onClose} className="modal-wide modal-settings">
      <TabList tabs={SETTINGS_TABS} labels={TAB_LABELS} active={tab} onSelect={select} baseId={baseId} label="Settings sections" className="tabs settings-tabs" />
      <div role="tabpanel" id={ids('general').panel} aria-labelledby={ids('general').tab} hidden={tab !== 'general'} className="settings-panel">
        {loaded.status === 'loading' && <p className="muted">Loading settings…</p>}
        {loaded.status === 'error' && (
          <p className="form-error" role="alert">
            Could not load settings: {loaded.message}
          </p>
        )}
        {loaded.status === 'ready' && <AgentSettingsForm settings={loaded.settings} />}
        <ReposSettings />
      </div>
      <div role="tabpanel" id={ids('providers').panel} aria-labelledby={ids('providers').tab} hidden={tab !== 'providers'} className="settings-panel">
        {tab === 'providers' && <ProvidersSettings />}
      </div>
      <div role="tabpanel" id={ids('disk').panel} aria-labelledby={ids('disk').tab} hidden={tab !== 'disk'} className="settings-panel">
        {hasOpenedDisk && <DiskSettings />}
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

/** "Recordings 12.3 MB · database 4.5 MB" while Settings is open. */
function usageText(usage: HistoryUsageState): string {
  if (usage.status === 'measuring') return 'Measuring the space used…';
  if (usage.status === 'failed') return `Could not measure the space used: ${usage.message}`;
  return `Space used: recordings ${formatBytes(usage.recordingsBytes)} · database ${formatBytes(usage.databaseBytes)}`;
}

function AgentSettingsForm({ settings }: { settings: Settings }) {
  const client = useClient();
  const historyUsage = useHistoryUsage(client);
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const [saved, setSaved] = useState<Settings>(settings);
  const [errors, setErrors] = useState<Partial<Record<DraftField, string>>>({});
  const [save, setSave] = useState<SaveState>({ status: 'idle' });

  // Someone else changed a setting (the CLI, another window): take their value for the
  // fields this form has not touched, and keep what is being edited. (State adjusted while
  // rendering, as React recommends for state that follows a prop.)
  const [seen, setSeen] = useState<Settings>(settings);
  if (settings !== seen) {
    const before = draftOf(saved);
    const after = draftOf(settings);
    setSeen(settings);
    setSaved(settings);
    setDraft((d) => {
      const next = { ...d };
      for (const field of Object.keys(after) as DraftField[]) if (d[field] === before[field]) next[field] = after[field];
      return next;
    });
  }

  const set = (field: DraftField) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    setSave({ status: 'idle' });
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const plan = planSave(draft, saved);
    if (!plan.ok) {
      setErrors(plan.errors);
      return;
    }
    setSave({ status: 'saving' });
    const failed: Partial<Record<DraftField, string>> = {};
    let latest = saved;
    try {
      // One call per key: each is validated on its own, so one bad value keeps the others.
      for (const change of plan.changes) {
        const result = await client.invoke('settings.set', { key: change.key, value: change.value });
        if (result.ok) latest = result.settings;
        else failed[change.field] = result.message;
      }
    } catch (e) {
      setSave({ status: 'failed', message: errorMessage(e) });
      return;
    }
    setSaved(latest);
    setErrors(failed);
    setDraft((d) => {
      const fresh = draftOf(latest);
      const next = { ...d };
      for (const change of plan.changes) if (!failed[change.field]) next[change.field] = fresh[change.field];
      return next;
    });
    setSave(Object.keys(failed).length > 0 ? { status: 'idle' } : { status: 'saved' });
  }

  return (
    <form className="form settings-section" onSubmit={submit} noValidate aria-labelledby="settings-agents-title">
      <h3 className="section-title caps-label" id="settings-agents-title">
        Agents
      </h3>
      <div className="field-row">
        <SettingField label="Tasks running at once" error={errors.maxRunning} hint="The rest wait in the queue, oldest first.">
          {(props) => <input {...props} className="input" inputMode="numeric" value={draft.maxRunning} onChange={(e) => set('maxRunning')(e.target.value)} />}
        </SettingField>
        <SettingField label="Command timeout (minutes)" error={errors.commandTimeoutMinutes} hint="Wall time of one sandboxed command.">
          {(props) => (
            <input
              {...props}
              className="input"
              inputMode="decimal"
              value={draft.commandTimeoutMinutes}
              onChange={(e) => set('commandTimeoutMinutes')(e.target.value)}
            />
          )}
        </SettingField>
      </div>
      <div className="field-row">
        <SettingField label="Terminal scrollback (lines)" error={errors.terminalScrollback} hint="Kept per terminal; 10 000 lines ≈ 20 MB.">
          {(props) => (
            <input {...props} className="input" inputMode="numeric" value={draft.terminalScrollback} onChange={(e) => set('terminalScrollback')(e.target.value)} />
          )}
        </SettingField>
        <SettingField
          label="Keep archives of removed worktrees (days)"
          error={errors.archiveRetentionDays}
          hint="Restore works until then; older archives are pruned."
        >
          {(props) => (
            <input
              {...props}
              className="input"
              inputMode="numeric"
              value={draft.archiveRetentionDays}
              onChange={(e) => set('archiveRetentionDays')(e.target.value)}
            />
          )}
        </SettingField>
      </div>
      <h3 className="section-title caps-label" id="settings-recordings-title">
        Recordings
      </h3>
      <p className="form-note" role="status" aria-labelledby="settings-recordings-title">
        {usageText(historyUsage)}
      </p>
      <div className="field-row">
        <SettingField
          label="Keep history of finished tasks (days)"
          error={errors.historyRetentionDays}
          hint="Transcripts and terminal recordings of merged or discarded tasks; open tasks keep theirs."
        >
          {(props) => (
            <input
              {...props}
              className="input"
              inputMode="numeric"
              value={draft.historyRetentionDays}
              onChange={(e) => set('historyRetentionDays')(e.target.value)}
            />
          )}
        </SettingField>
        <SettingField label="History size limit (MB)" error={errors.historyRetentionMB} hint="Past it, the oldest finished tasks' history goes first.">
          {(props) => (
            <input {...props} className="input" inputMode="numeric" value={draft.historyRetentionMB} onChange={(e) => set('historyRetentionMB')(e.target.value)} />
          )}
        </SettingField>
      </div>
      <div className="field-row">
        <SettingField
          label="Secret environment variables"
          error={errors.secretEnvVars}
          hint="Names, comma-separated: their values are masked in transcripts and recordings (…_TOKEN, …_API_KEY and the like always are)."
        >
          {(props) => (
            <input
              {...props}
              className="input mono"
              spellCheck={false}
              placeholder="DEPLOY_PHRASE, DATABASE_URL"
              value={draft.secretEnvVars}
              onChange={(e) => set('secretEnvVars')(e.target.value)}
            />
          )}
        </SettingField>
      </div>
      <div className="field-row">
        <SettingField label="Model" error={errors.model} hint="Used for new turns.">
          {(props) => <input {...props} className="input mono" spellCheck={false} value={draft.model} onChange={(e) => set('model')(e.target.value)} />}
        </SettingField>
        <SettingField label="Base URL" error={errors.baseURL} hint="An OpenAI-compatible endpoint; empty for the default.">
          {(props) => (
            <input
              {...props}
              className="input mono"
              spellCheck={false}
              placeholder="https://api.openai.com/v1"
              value={draft.baseURL}
              onChange={(e) => set('baseURL')(e.target.value)}
            />
          )}
        </SettingField>
      </div>
      {save.status === 'failed' && (
        <p className="form-error" role="alert">
          Could not save: {save.message}
        </p>
      )}
      <div className="form-actions">
        <span className="form-note" role="status">
          {save.status === 'saved' ? 'Saved.' : ''}
        </span>
        <button type="submit" className="btn btn-primary" disabled={save.status === 'saving'}>
          Save settings
        </button>
      </div>
    </form>
  );
}

function SettingField({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint: string;
  error: string | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': error ? `${errorId} ${hintId}` : hintId })}
      {error !== undefined && (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      )}
      <span className="field-hint" id={hintId}>
        {hint}
      </span>
    </div>
  );
}
