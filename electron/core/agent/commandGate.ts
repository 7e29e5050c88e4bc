import crypto from 'node:crypto';
import type { ApprovalDecision, ApprovalRequest, TaskGrants, Widening } from '../../../shared/model/approval.js';
import { isCovered } from '../../../shared/model/widening.js';
import { isKnownReadOnlyCommand } from '../../../shared/model/readOnlyCommands.js';
import type { ApprovalPolicy } from '../../../shared/model/sandboxPolicy.js';
import type { SandboxSpec } from '../sandbox/sandboxSpec.js';
import { checkWritablePath, isWithin } from '../sandbox/writablePaths.js';

/** What the agent asked for beyond the sandbox, with its reason. */
export interface Escalation extends Widening {
  justification: string;
}

export type GateVerdict = { kind: 'run'; spec: SandboxSpec } | { kind: 'deny'; message: string };

export interface ApprovalAnswer {
  decision: ApprovalDecision;
  /** The task's grants after the decision (an "approve for this task" adds to them). */
  grants: TaskGrants;
}

/**
 * Decides, before each command, whether it runs as is, runs with more than the sandbox allows,
 * waits for the user, or is refused. Only the user widens the sandbox: the agent may only ask.
 */
export class CommandGate {
  private grants: TaskGrants;

  constructor(
    private readonly opts: {
      spec: SandboxSpec;
      approval: ApprovalPolicy;
      grants: TaskGrants;
      /** FLOTILLA_HOME and the like: never writable, even with an approval. */
      hiddenPaths: readonly string[];
      /** Sends the request to the user and resolves with their decision. */
      ask: (request: Omit<ApprovalRequest, 'requestedAt'>) => Promise<ApprovalAnswer>;
    },
  ) {
    this.grants = opts.grants;
  }

  async check(callId: string, command: string, escalation: Escalation): Promise<GateVerdict> {
    const { spec, approval } = this.opts;
    if (spec.mode === 'full-access') return { kind: 'run', spec };

    const wanted = this.normalize(escalation);
    if (!wanted.ok) return { kind: 'deny', message: wanted.message };
    const widening = wanted.widening;
    const isEscalation = widening.network || widening.writablePaths.length > 0;

    if (isEscalation) {
      if (isCovered(widening, this.effectiveGrants())) return { kind: 'run', spec: this.specWith(widening) };
      if (approval === 'never') {
        return {
          kind: 'deny',
          message: 'not run: this task may not go beyond its sandbox (approval policy "never"); find a way that needs no network and writes only inside the worktree',
        };
      }
      return this.askUser({ callId, command, kind: 'escalation', reason: escalation.justification, widening });
    }

    const needsApproval = approval === 'untrusted' && !isKnownReadOnlyCommand(command) && !this.grants.commands.includes(command);
    if (!needsApproval) return { kind: 'run', spec: this.specWith(widening) };
    return this.askUser({ callId, command, kind: 'untrusted_command', reason: escalation.justification, widening });
  }

  private async askUser(request: Omit<ApprovalRequest, 'requestedAt' | 'requestId'>): Promise<GateVerdict> {
    const answer = await this.opts.ask({ ...request, requestId: crypto.randomUUID() });
    this.grants = answer.grants;
    if (answer.decision.decision === 'deny') {
      const said = answer.decision.message ? `: "${answer.decision.message}"` : '';
      return { kind: 'deny', message: `not run: the user denied this command${said}` };
    }
    return { kind: 'run', spec: this.specWith(request.widening) };
  }

  /** The policy's own allowances count as granted (a network task needs no approval for network). */
  private effectiveGrants(): TaskGrants {
    return { ...this.grants, network: this.grants.network || this.opts.spec.allowNetwork };
  }

  private specWith(widening: Widening): SandboxSpec {
    const { spec } = this.opts;
    return {
      ...spec,
      allowNetwork: spec.allowNetwork || this.grants.network || widening.network,
      extraWritablePaths: [...new Set([...spec.extraWritablePaths, ...this.grants.writablePaths, ...widening.writablePaths])],
    };
  }

  /** Canonical writable paths; ones inside the worktree are dropped (already writable), unsafe ones refused. */
  private normalize(escalation: Escalation): { ok: true; widening: Widening } | { ok: false; message: string } {
    const { spec } = this.opts;
    const paths: string[] = [];
    for (const requested of escalation.writablePaths) {
      const checked = checkWritablePath(requested, { hiddenPaths: this.opts.hiddenPaths, readOnlyPaths: spec.readOnlyPaths });
      if (!checked.ok) return { ok: false, message: `not run: ${checked.message}` };
      if (isWithin(checked.path, spec.worktreePath) && spec.mode !== 'read-only') continue;
      paths.push(checked.path);
    }
    return { ok: true, widening: { network: escalation.network && !spec.allowNetwork, writablePaths: paths } };
  }
}
