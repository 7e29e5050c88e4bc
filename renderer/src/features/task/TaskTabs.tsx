import { TabList } from '../../components/TabList.js';

export const TASK_TABS = ['transcript', 'changes', 'terminal'] as const;
export type TaskTab = (typeof TASK_TABS)[number];

const TAB_LABELS: Record<TaskTab, string> = { transcript: 'Transcript', changes: 'Changes', terminal: 'Terminal' };

/** The task view's tabs; their panels use `tabIds(baseId, tab)`. */
export function TaskTabs({ baseId, active, onSelect }: { baseId: string; active: TaskTab; onSelect: (tab: TaskTab) => void }) {
  return <TabList tabs={TASK_TABS} labels={TAB_LABELS} active={active} onSelect={onSelect} baseId={baseId} label="Task details" />;
}
