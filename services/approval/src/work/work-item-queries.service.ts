import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type Actor, assertInScope, AuditTrail } from '@tongban/auth';
import { type SealedText, sealedOr } from '@tongban/contracts';
import { PiiCipher } from '@tongban/pii';
import { ReferenceData } from '@tongban/reference-data';
import { Clock, decodeCursor, encodeCursor, invalidRequest } from '@tongban/runtime';
import { ApprovalStore, type QueueEntry } from '../store/approval-store';
import { UUID } from './reviewer-actions.service';
import { type ListWorkItemsQuery } from './work-item.dto';
import { caseDetailView, supplementRequestView, workItemView, type WorkItemView } from './work-item-view';

@Injectable()
export class WorkItemQueries {
  constructor(
    private readonly store: ApprovalStore,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The department's queue, most urgent first: keyset-paginated on (due time, id). A reviewer
   * sees only the department's items; operators and admins see every department.
   */
  async list(
    actor: Actor,
    query: ListWorkItemsQuery,
  ): Promise<{ items: WorkItemView[]; nextCursor: string | null }> {
    if (actor.role !== 'reviewer' && actor.role !== 'operator' && actor.role !== 'admin')
      return { items: [], nextCursor: null };
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor)
      throw invalidRequest([{ field: 'cursor', reason: 'is not a cursor of this list' }]);
    const entries = await this.store.queue({
      departmentId: actor.role === 'reviewer' ? actor.departmentId : null,
      ...(query.state ? { state: query.state } : {}),
      ...(query.itemCode ? { itemCode: query.itemCode } : {}),
      ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
      ...(query.dueSoon !== undefined ? { dueSoon: query.dueSoon } : {}),
      ...(query.escalated !== undefined ? { escalated: query.escalated } : {}),
      ...(query.mine ? { claimedBy: actor.sub } : {}),
      ...(cursor ? { after: { dueAt: cursor.at, id: cursor.id } } : {}),
      limit: query.limit + 1,
    });
    const now = this.clock.now();
    const page = entries.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((entry) => workItemView(entry, now, this.reference)),
      nextCursor:
        entries.length > query.limit && last
          ? encodeCursor({ at: last.dueAt.toISOString(), id: last.item.id })
          : null,
    };
  }

  /** One item with its case and supplement history; another department's item is a 404. */
  async get(actor: Actor, id: string) {
    const entry = await this.entry(actor, id);
    const requests = await this.store.requestsOf(entry.item.caseId);
    return {
      ...workItemView(entry, this.clock.now(), this.reference),
      case: caseDetailView(entry.snapshot),
      supplementRequests: requests.map(supplementRequestView),
    };
  }

  /**
   * The applicant's name in clear, for the reviewer who must match it against the materials: the
   * case view shows it masked, and each opening is audited (who saw whose name, when).
   */
  async applicant(actor: Actor, id: string) {
    const entry = await this.entry(actor, id);
    const applicant = entry.snapshot.applicant;
    const open = (value: string | SealedText) =>
      sealedOr(value, (sealed) => this.cipher.decrypt(sealed.ciphertext));
    await this.audit.record(this.dataSource.manager, {
      actor,
      action: 'work-item.read-applicant',
      objectType: 'work-item',
      objectId: entry.item.id,
      result: 'succeeded',
      detail: { caseId: entry.item.caseId },
    });
    return applicant.kind === 'person'
      ? { kind: applicant.kind, name: open(applicant.name) }
      : {
          kind: applicant.kind,
          companyName: applicant.companyName,
          contactName: open(applicant.contactName),
        };
  }

  private async entry(actor: Actor, id: string): Promise<QueueEntry> {
    if (!UUID.test(id)) throw new NotFoundException();
    const entry = await this.store.queueEntry(id);
    if (!entry) throw new NotFoundException();
    assertInScope(actor, { departmentId: entry.item.departmentId });
    return entry;
  }
}
