import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../../shared/model/approval.js';
import type { TranscriptItem } from '../../../../shared/model/transcript.js';
import { approvalsByCallId } from './commandApprovals.js';

const request = (callId: string): ApprovalRequest => ({
  requestId: `req-${callId}`,
  callId,
  kind: 'escalation',
  command: 'curl x',
  reason: '',
  widening: { network: true, writablePaths: [] },
  requestedAt: 1,
});

describe('approvalsByCallId', () => {
  it('maps each asked command to its latest decision', () => {
    const items: TranscriptItem[] = [
      { type: 'approval', seq: 1, request: request('a'), decision: { decision: 'approve', scope: 'once', message: null } },
      { type: 'approval', seq: 2, request: request('b'), decision: { decision: 'deny', scope: 'once', message: 'no' } },
      { type: 'approval', seq: 3, request: request('c'), decision: null },
      { type: 'status', seq: 4, text: 'needs_input' },
    ];
    expect(Object.fromEntries(approvalsByCallId(items))).toEqual({ a: 'approved', b: 'denied', c: 'waiting' });
    expect(approvalsByCallId([]).size).toBe(0);
  });
});
