import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sleep } from '@tongban/messaging';
import { normalizePhone, PiiCipher } from '@tongban/pii';
import {
  type NotificationKind,
  type SendResult,
  type SmsProvider,
  templateById,
  templateParams,
} from '@tongban/sms';
import type { DataSource, EntityManager } from 'typeorm';
import { SENDER_SETTINGS, type SenderSettings, SMS_PROVIDER } from '../config/notification-config';
import { AGENT_KINDS, CONTACT_VALUES, SEALED_VALUES } from '../notices/notice-plan';
import { NotificationMetrics } from './notification-metrics';
import { afterFailure, quietUntil, rateLimitedUntil } from './send-policy';

interface DueRow {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly recipient: 'applicant' | 'agent';
  /** 帮办代办: the case has an agent to text too. */
  readonly has_agent: boolean;
  readonly template_id: string;
  readonly params_ciphertext: string;
  readonly attempts: number;
  readonly phone_ciphertext: string;
  readonly phone_hash: string;
  readonly receipt_number: string;
}

/** The phone a message goes to: the applicant's, or the agent's for the agent's copy. */
const PHONE_OF_RECIPIENT = (part: 'ciphertext' | 'hash') =>
  `CASE WHEN n.recipient = 'agent' THEN c.agent_phone_${part} ELSE c.phone_${part} END`;

type Prepared =
  | { readonly phone: string; readonly templateId: string; readonly params: string[] }
  | { readonly unsendable: string };

/**
 * Drains the notification store: every due message whose case has a contact, one row per
 * transaction, the row locked (SKIP LOCKED, so several instances share the queue) while the
 * provider is called, and its outcome written before the lock is released. A provider error or a
 * crash before that commit leaves the row queued: it is retried, never dropped. Only a crash in
 * the instant between the provider's answer and the commit can send a message twice; the
 * provider has no idempotency key to close that window (see the service README).
 */
@Injectable()
export class SmsSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmsSender');
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SENDER_SETTINGS) private readonly settings: SenderSettings,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    private readonly cipher: PiiCipher,
    private readonly metrics: NotificationMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.loops = [
      this.loop('send', this.settings.pollMs, () => this.drainOnce()),
      this.loop('reports', this.settings.statusPollMs, () => this.pullReportsOnce()),
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  private async loop(name: string, intervalMs: number, work: () => Promise<number>): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let busy = false;
      try {
        busy = (await work()) > 0;
      } catch (error) {
        this.logger.error({ msg: `notification ${name} loop failed; retrying`, err: error });
      }
      if (!busy) await sleep(intervalMs, this.stopping.signal);
    }
  }

  /** Sends what is due now; answers how many rows it handled (sent, deferred or failed). */
  async drainOnce(): Promise<number> {
    const due = (await this.dataSource.query(
      `SELECT n.id FROM notifications n JOIN case_contacts c ON c.case_id = n.case_id
        WHERE n.status = 'queued' AND n.due_at <= clock_timestamp()
          AND (n.recipient = 'applicant' OR c.agent_phone_ciphertext IS NOT NULL)
        ORDER BY n.due_at LIMIT $1`,
      [this.settings.batchSize],
    )) as { id: string }[];
    let handled = 0;
    for (const { id } of due) {
      if (this.stopping.signal.aborted) break;
      if (await this.sendOne(id)) handled += 1;
    }
    return handled;
  }

  private async sendOne(id: string): Promise<boolean> {
    let after: (() => void) | undefined;
    const handled = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `SELECT n.id, n.kind, n.recipient, n.template_id, n.params_ciphertext, n.attempts,
                ${PHONE_OF_RECIPIENT('ciphertext')} AS phone_ciphertext,
                ${PHONE_OF_RECIPIENT('hash')} AS phone_hash,
                c.agent_phone_ciphertext IS NOT NULL AS has_agent, c.receipt_number
           FROM notifications n JOIN case_contacts c ON c.case_id = n.case_id
          WHERE n.id = $1 AND n.status = 'queued' AND n.due_at <= clock_timestamp()
          FOR UPDATE OF n SKIP LOCKED`,
        [id],
      )) as DueRow[];
      if (!row?.phone_ciphertext) return false;
      const now = new Date();
      if (row.recipient === 'applicant' && row.has_agent && AGENT_KINDS.includes(row.kind)) {
        await this.queueForAgent(manager, row.id);
      }
      const held = await this.holdUntil(manager, row, now);
      if (held) {
        await manager.query(`UPDATE notifications SET due_at = $2 WHERE id = $1`, [row.id, held.until]);
        after = () => this.metrics.deferred.inc({ reason: held.reason });
        return true;
      }
      const prepared = this.prepare(row);
      const result: SendResult =
        'unsendable' in prepared
          ? { outcome: 'rejected', code: prepared.unsendable }
          : await this.provider.send({ ...prepared, reference: row.id });
      after = await this.record(manager, row, result, new Date());
      return true;
    });
    after?.();
    return handled;
  }

  private async holdUntil(
    manager: EntityManager,
    row: DueRow,
    now: Date,
  ): Promise<{ until: Date; reason: string } | null> {
    const quiet = quietUntil(now, this.settings.quietHours);
    if (quiet) return { until: quiet, reason: 'quiet_hours' };
    const recent = (await manager.query(
      `SELECT n.sent_at FROM notifications n JOIN case_contacts c ON c.case_id = n.case_id
        WHERE ${PHONE_OF_RECIPIENT('hash')} = $1 AND n.sent_at > $2`,
      [row.phone_hash, new Date(now.getTime() - 3_600_000)],
    )) as { sent_at: Date }[];
    const limited = rateLimitedUntil(
      recent.map((r) => r.sent_at),
      this.settings.perPhonePerHour,
      now,
    );
    return limited ? { until: limited, reason: 'phone_rate_limit' } : null;
  }

  /**
   * 帮办代办: the agent's copy of an applicant's message, queued once when the applicant's is
   * first taken up (by then the case's contact, and so its agent, is known whichever event
   * brought it). Cancellations reach both copies (by case and kind).
   */
  private async queueForAgent(manager: EntityManager, applicantRowId: string): Promise<void> {
    await manager.query(
      `INSERT INTO notifications (id, case_id, kind, round, recipient, template_id, template_version,
                                  params_ciphertext, status, due_at)
       SELECT gen_random_uuid(), case_id, kind, round, 'agent', template_id, template_version,
              params_ciphertext, 'queued', due_at
         FROM notifications WHERE id = $1
       ON CONFLICT (case_id, kind, round, recipient) DO NOTHING`,
      [applicantRowId],
    );
  }

  /** Opens the phone and the values; a message that cannot be read or filled can never be sent. */
  private prepare(row: DueRow): Prepared {
    const template = templateById(row.template_id);
    if (!template) return { unsendable: 'TemplateRetired' };
    try {
      const values = JSON.parse(this.cipher.decrypt(row.params_ciphertext)) as Record<string, string>;
      for (const name of SEALED_VALUES) if (values[name]) values[name] = this.cipher.decrypt(values[name]);
      const contact: Record<(typeof CONTACT_VALUES)[number], string> = { receiptNumber: row.receipt_number };
      for (const name of CONTACT_VALUES) values[name] ??= contact[name];
      const phone = normalizePhone(this.cipher.decrypt(row.phone_ciphertext));
      if (!phone) return { unsendable: 'InvalidPhone' };
      return { phone, templateId: template.id, params: templateParams(template, values) };
    } catch (error) {
      this.logger.error({ msg: 'notification cannot be prepared', notificationId: row.id, err: error });
      return { unsendable: 'Unreadable' };
    }
  }

  private async record(
    manager: EntityManager,
    row: DueRow,
    result: SendResult,
    now: Date,
  ): Promise<() => void> {
    const labels = { kind: row.kind, provider: this.provider.name };
    const attempts = row.attempts + 1;
    if (result.outcome === 'accepted') {
      await manager.query(
        `UPDATE notifications SET status = 'sent', attempts = $2, sent_at = $3, provider = $4,
                provider_message_id = $5, last_error = NULL WHERE id = $1`,
        [row.id, attempts, now, this.provider.name, result.providerMessageId],
      );
      return () => this.metrics.sent.inc(labels);
    }
    const decision =
      result.outcome === 'rejected'
        ? ({ next: 'dead_letter' } as const)
        : afterFailure(attempts, this.settings.maxAttempts, this.settings.backoff, now, result.retryAfterMs);
    if (decision.next === 'retry') {
      await manager.query(
        `UPDATE notifications SET attempts = $2, due_at = $3, last_error = $4, provider = $5 WHERE id = $1`,
        [row.id, attempts, decision.at, result.code, this.provider.name],
      );
    } else {
      await manager.query(
        `UPDATE notifications SET status = 'failed', attempts = $2, failed_at = $3, last_error = $4, provider = $5
          WHERE id = $1`,
        [row.id, attempts, now, result.code, this.provider.name],
      );
    }
    const outcome =
      decision.next === 'retry' ? 'retry' : result.outcome === 'rejected' ? 'rejected' : 'dead_letter';
    return () => {
      this.metrics.failed.inc({ ...labels, outcome, code: result.code });
      if (outcome !== 'retry') {
        this.logger.warn({
          msg: 'notification dead-lettered',
          notificationId: row.id,
          kind: row.kind,
          code: result.code,
          attempts,
        });
      }
    };
  }

  /** Marks sent messages delivered (or failed) from the provider's status reports. */
  async pullReportsOnce(): Promise<number> {
    const reports = await this.provider.pullReports(100);
    for (const report of reports) {
      const updated = (await this.dataSource.query(
        `UPDATE notifications
            SET status = CASE WHEN $2 THEN 'delivered' ELSE 'failed' END,
                delivered_at = CASE WHEN $2 THEN clock_timestamp() END,
                failed_at = CASE WHEN $2 THEN NULL ELSE clock_timestamp() END,
                last_error = CASE WHEN $2 THEN last_error ELSE $3 END
          WHERE provider_message_id = $1 AND status = 'sent' RETURNING kind`,
        [report.providerMessageId, report.delivered, report.description],
      )) as [{ kind: string }[], number];
      for (const { kind } of updated[0]) {
        this.metrics.delivered.inc({
          kind,
          provider: this.provider.name,
          result: report.delivered ? 'delivered' : 'failed',
        });
      }
    }
    return reports.length;
  }
}
