import { useActions, useAppStore } from '../../appContext.js';
import { selectTaskById, selectTaskDialog } from '../../state/selectors.js';
import { FinishDialog } from '../task/FinishDialog.js';
import { SendMessageDialog } from '../task/SendMessageDialog.js';

/** The dialogs a move asks for, wherever the move came from (drop, menu, task view). */
export function TaskDialogs() {
  const dialog = useAppStore(selectTaskDialog);
  const task = useAppStore(selectTaskById(dialog?.taskId ?? null));
  const { closeTaskDialog } = useActions();
  if (!dialog || !task) return null;
  return dialog.kind === 'send' ? (
    <SendMessageDialog key={task.id} task={task} mode={dialog.mode} onClose={closeTaskDialog} />
  ) : (
    <FinishDialog key={task.id} task={task} onClose={closeTaskDialog} />
  );
}
