import { failure, type Handlers } from '../../../shared/contract.js';
import type { reviewMethods } from '../../../shared/contracts/review.js';
import { branchCommit } from '../git/refNames.js';
import { touchedProtectedFiles } from './protectedGate.js';
import { ReviewAgent, type ReviewAgentDeps } from './reviewAgent.js';
import { ReviewComments, type ReviewCommentsDeps } from './reviewComments.js';

type ReviewHandlers = Pick<Handlers, keyof typeof reviewMethods>;

/**
 * The review methods of the host's handler table (shared/contracts/review.ts): comments, "Request
 * changes", the AI review and the protected files a merge would refuse, over the task's journal,
 * diff and turns.
 */
export function reviewHandlers(deps: ReviewCommentsDeps & Omit<ReviewAgentDeps, 'comments'>): ReviewHandlers {
  const comments = new ReviewComments(deps);
  const agent = new ReviewAgent({ ...deps, comments });
  return {
    'tasks.comment': ({ id, ...comment }) => comments.add(id, comment),
    'tasks.comments': async (input) => comments.list(input.id),
    'tasks.requestChanges': async ({ id, ...request }) => comments.requestChanges(id, request),
    'tasks.review': (input) => agent.review(input.id),
    'tasks.protectedFiles': async (input) => {
      const task = deps.tasks.get(input.id);
      if (!task) return failure('not_found', `no task with id "${input.id}"`);
      const tip = await branchCommit(task.repoPath, task.branch).catch(() => null);
      if (!tip) return failure('invalid_state', `task ${input.id} has no branch to merge (${task.status})`);
      return { ok: true, ...(await touchedProtectedFiles(deps.repos, task, tip)) };
    },
  };
}
