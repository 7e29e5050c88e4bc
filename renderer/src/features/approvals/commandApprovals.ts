import type { TranscriptItem } from '../../../../shared/model/transcript.js';
import { decisionState, type DecisionState } from './approvalText.js';

/**
 * The approval state of each command that needed one, by call id (the last request for a
 * call wins). The host journals a command's start before it asks, so without this a command
 * waiting for the user, or one the user denied, would look like one that was cut short.
 */
export function approvalsByCallId(items: readonly TranscriptItem[]): ReadonlyMap<string, DecisionState> {
  const states = new Map<string, DecisionState>();
  for (const item of items) {
    if (item.type === 'approval') states.set(item.request.callId, decisionState(item.decision));
  }
  return states;
}
