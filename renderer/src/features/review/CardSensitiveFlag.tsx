import { useEffect, useState } from 'react';
import type { Task } from '../../../../shared/model/task.js';
import { useClient } from '../../appContext.js';
import type { UiClient } from '../../transport/uiClient.js';
import './review.css';

/** Sensitive paths by task and version (updatedAt), so re-renders and other cards do not refetch. */
const cache = new Map<string, Promise<string[]>>();
/** Older entries are dropped past this many: one per card on a big board is plenty. */
const CACHE_LIMIT = 500;

function sensitivePaths(client: UiClient, taskId: string, version: number): Promise<string[]> {
  const key = `${taskId}:${version}`;
  let found = cache.get(key);
  if (!found) {
    found = client.invoke('tasks.diff', { id: taskId }).then(
      (result) => (result.ok ? result.diff.files.filter((f) => f.sensitive).map((f) => f.path) : []),
      () => [],
    );
    cache.set(key, found);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value ?? key);
  }
  return found;
}

/**
 * A small flag on a card whose changes touch execution-sensitive files (CI, hooks,
 * scripts, Dockerfiles): shown once the task is up for review, where merging is decided.
 */
export function CardSensitiveFlag({ task }: { task: Task }) {
  const client = useClient();
  const [paths, setPaths] = useState<string[]>([]);
  const isShown = task.status === 'review';
  useEffect(() => {
    if (!isShown) return;
    let isCurrent = true;
    void sensitivePaths(client, task.id, task.updatedAt).then((found) => {
      if (isCurrent) setPaths(found);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, task.id, task.updatedAt, isShown]);
  if (!isShown || paths.length === 0) return null;
  return (
    <p className="card-sensitive" title={`Execution-sensitive files changed: ${paths.join(', ')}`}>
      ⚠ {paths.length === 1 ? '1 sensitive file' : `${paths.length} sensitive files`}
    </p>
  );
}
