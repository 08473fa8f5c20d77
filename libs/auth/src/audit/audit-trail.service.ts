import { Injectable } from '@nestjs/common';
import { currentTraceId } from '@tongban/observability';
import { findPersonalNumbers } from '@tongban/pii';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import { actorScopeId } from '../scope/actor-scope';
import type { AuditResult } from './audit-entry.entity';

export interface AuditEntry {
  readonly actor: Actor;
  /** What was done, as `<object>.<verb>`: "case.submit", "parcel.hand-over", "dlq.replay". */
  readonly action: string;
  readonly objectType: string;
  readonly objectId?: string | null;
  readonly result: AuditResult;
  /**
   * Ids, states and reasons only; never personal data. Checked with the rule every scanner
   * shares (@tongban/pii findPersonalNumbers), which never mistakes an identifier for a number.
   */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Defaults to the trace of the request or message being handled. */
  readonly traceId?: string | null;
}

/**
 * Where in an audit detail a resident ID or mobile number stands, as `detail.<path> (<kind>)`, or
 * null. Identifiers (UUIDs, receipt, tracking and document numbers) are never judged.
 */
export function personalDataInDetail(detail: Readonly<Record<string, unknown>>): string | null {
  return personalDataPath(detail, 'detail');
}

function personalDataPath(value: unknown, path: string): string | null {
  if (typeof value === 'string' || typeof value === 'number') {
    const [found] = findPersonalNumbers(String(value));
    return found ? `${path} (${found.kind})` : null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = personalDataPath(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** Writes the audit log; who did what to which object, with what result. */
@Injectable()
export class AuditTrail {
  /**
   * Inserts through the caller's transaction, so the entry commits or rolls back together with
   * the state change it describes. Returns the entry id.
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<string> {
    const detail = entry.detail ?? {};
    const leak = personalDataInDetail(detail);
    if (leak) throw new Error(`audit entry ${entry.action}: ${leak} looks like personal data`);
    const [inserted] = (await manager.query(
      `INSERT INTO audit_log
         (actor_sub, actor_role, actor_scope, action, object_type, object_id, result, detail, trace_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id`,
      [
        entry.actor.sub,
        entry.actor.role,
        actorScopeId(entry.actor),
        entry.action,
        entry.objectType,
        entry.objectId ?? null,
        entry.result,
        JSON.stringify(detail),
        entry.traceId ?? currentTraceId() ?? null,
      ],
    )) as [{ id: string }];
    return inserted.id;
  }
}
