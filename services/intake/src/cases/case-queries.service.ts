import { Injectable, NotFoundException } from '@nestjs/common';
import { type Actor, actorScope, assertInScope } from '@tongban/auth';
import { CASE_STATES } from '@tongban/contracts';
import { Clock, encodeCursor } from '@tongban/runtime';
import { type CaseListing, CaseStore } from './case-store';
import { type CaseRow, type CaseView, caseView, officesOf } from './case-view';
import { departmentProgress } from './department-progress';
import { type ListCasesQuery } from './list-cases.dto';

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

// States in which the department's clock no longer runs: the decision and everything after it.
const DECIDED_OR_LATER = CASE_STATES.slice(CASE_STATES.indexOf('approved'));

export interface TimelineView {
  readonly stage: string;
  readonly at: string;
  readonly eventType: string;
  readonly officeId: string | null;
  readonly departmentId: string | null;
  readonly actorRole: string | null;
  readonly detail: Record<string, unknown>;
}

@Injectable()
export class CaseQueries {
  constructor(
    private readonly store: CaseStore,
    private readonly clock: Clock,
  ) {}

  /** A case the actor may see; another office's case is a 404, exactly like a missing one. */
  async row(actor: Actor, caseId: string): Promise<CaseRow> {
    if (!UUID.test(caseId)) throw new NotFoundException();
    const row = await this.store.find(caseId);
    if (!row) throw new NotFoundException();
    assertInScope(actor, { officeId: officesOf(row) });
    return row;
  }

  async get(actor: Actor, caseId: string): Promise<CaseView> {
    const row = await this.row(actor, caseId);
    const [openRequest, timeline] = await Promise.all([
      this.store.openRequest(caseId),
      this.store.timeline(caseId),
    ]);
    return caseView(row, openRequest ?? null, departmentProgress(timeline));
  }

  async timeline(
    actor: Actor,
    caseId: string,
  ): Promise<{ caseId: string; status: string; slaDueAt: string | null; stages: TimelineView[] }> {
    const row = await this.row(actor, caseId);
    const entries = await this.store.timeline(caseId);
    return {
      caseId,
      status: row.status,
      slaDueAt: row.sla_due_at?.toISOString() ?? null,
      stages: entries.map((entry) => ({
        stage: entry.stage,
        at: entry.occurred_at.toISOString(),
        eventType: entry.event_type,
        officeId: entry.office_id,
        departmentId: entry.department_id,
        actorRole: entry.actor_role,
        detail: entry.detail,
      })),
    };
  }

  /** Newest first, keyset-paginated on (submitted_at, id), always within the actor's scope. */
  async list(
    actor: Actor,
    query: ListCasesQuery & Pick<CaseListing, 'receiptNumber' | 'idNumberHash' | 'applicantName'>,
  ): Promise<{ cases: CaseView[]; nextCursor: string | null }> {
    const { officeId: scopeOfficeId } = actorScope(actor);
    const rows = await this.store.list({
      scopeOfficeId,
      officeId: query.officeId,
      status: query.status,
      itemCode: query.itemCode,
      receiptNumber: query.receiptNumber,
      idNumberHash: query.idNumberHash,
      applicantName: query.applicantName,
      from: query.from,
      to: query.to,
      overdue:
        query.overdue === undefined
          ? undefined
          : { wanted: query.overdue, now: this.clock.now(), decidedStates: DECIDED_OR_LATER },
      promiseBroken:
        query.promiseBroken === undefined
          ? undefined
          : { wanted: query.promiseBroken, now: this.clock.now(), decidedStates: DECIDED_OR_LATER },
      after: query.cursor,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      cases: page.map((row) => caseView(row)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ at: last.submitted_at.toISOString(), id: last.id })
          : null,
    };
  }
}
