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
      // The agent may arrive with a later event (a snapshot written before it was carried).
      await manager.query(
        `INSERT INTO case_contacts (case_id, receipt_number, item_code, phone_ciphertext, phone_hash, phone_masked,
                                    agent_phone_ciphertext, agent_phone_hash, agent_phone_masked)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (case_id) DO UPDATE SET
           agent_phone_ciphertext = COALESCE(case_contacts.agent_phone_ciphertext, EXCLUDED.agent_phone_ciphertext),
           agent_phone_hash = COALESCE(case_contacts.agent_phone_hash, EXCLUDED.agent_phone_hash),
           agent_phone_masked = COALESCE(case_contacts.agent_phone_masked, EXCLUDED.agent_phone_masked)`,
        [
          caseId,
          contact.receiptNumber,
          contact.itemCode,
          contact.phone.ciphertext,
          contact.phone.hash,
          contact.phone.masked,
          contact.agentPhone?.ciphertext ?? null,
          contact.agentPhone?.hash ?? null,
          contact.agentPhone?.masked ?? null,
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
      // A replacement changes the values of every recipient's copy still queued, and queues
      // nothing new when the message was sent or cancelled.
      if (notice.replaceQueued) {
        await manager.query(
          `UPDATE notifications SET params_ciphertext = $4, template_id = $5, template_version = $6
            WHERE case_id = $1 AND kind = $2 AND round = $3 AND status = 'queued'`,
          [
            caseId,
            notice.kind,
            notice.round,
            this.cipher.encrypt(JSON.stringify(notice.values)),
            template.id,
            template.version,
          ],
        );
        continue;
      }
      const inserted = (await manager.query(
        `INSERT INTO notifications (id, case_id, kind, round, template_id, template_version, params_ciphertext, status, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8)
         ON CONFLICT (case_id, kind, round, recipient) DO NOTHING RETURNING id`,
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

  /** The item of a case whose contact is known (the case's first event carried it). */
  async itemCodeOf(manager: EntityManager, caseId: string): Promise<string | undefined> {
    const [row] = (await manager.query(`SELECT item_code FROM case_contacts WHERE case_id = $1`, [
      caseId,
    ])) as {
      item_code: string;
    }[];
    return row?.item_code;
  }
}
