import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PiiCipher } from '@tongban/pii';
import { templateFor } from '@tongban/sms';
import type { EntityManager } from 'typeorm';
import { NotificationMetrics } from '../sending/notification-metrics';
import type { NoticePlan } from './notice-plan';

/**
 * Writes a plan in the consuming transaction: the case's contact (first one wins), each message
 * once per (case, kind, round), and cancellations. The filled values are encrypted together: a
 * pickup code among them is sealed twice, and opened only by the sender.
 */
@Injectable()
export class NoticeStore {
  constructor(
    private readonly cipher: PiiCipher,
    private readonly metrics: NotificationMetrics,
  ) {}

  async apply(manager: EntityManager, caseId: string, plan: NoticePlan, now: Date): Promise<() => void> {
    if (plan.contact) {
      const { contact } = plan;
      await manager.query(
        `INSERT INTO case_contacts (case_id, receipt_number, item_code, phone_ciphertext, phone_hash, phone_masked)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id) DO NOTHING`,
        [
          caseId,
          contact.receiptNumber,
          contact.itemCode,
          contact.phone.ciphertext,
          contact.phone.hash,
          contact.phone.masked,
        ],
      );
    }
    if (plan.cancel?.length) {
      await manager.query(
        `UPDATE notifications SET status = 'cancelled' WHERE case_id = $1 AND kind = ANY($2) AND status = 'queued'`,
        [caseId, plan.cancel],
      );
    }
    const queued: string[] = [];
    for (const notice of plan.notices) {
      const template = templateFor(notice.kind);
      const inserted = (await manager.query(
        `INSERT INTO notifications (id, case_id, kind, round, template_id, template_version, params_ciphertext, status, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8)
         ON CONFLICT (case_id, kind, round) DO NOTHING RETURNING id`,
        [
          randomUUID(),
          caseId,
          notice.kind,
          notice.round,
          template.id,
          template.version,
          this.cipher.encrypt(JSON.stringify(notice.values)),
          notice.dueAt ?? now,
        ],
      )) as unknown[];
      if (inserted.length > 0) queued.push(notice.kind);
    }
    return () => {
      for (const kind of queued) this.metrics.queued.inc({ kind });
    };
  }
}
