import type { AnyCaseSnapshot, DeliveryFailureReason, EventOf, ProtectedValue } from '@tongban/contracts';
import { NOTIFICATION_KINDS, type NotificationKind } from '@tongban/sms';

/** Whom a case's messages go to: taken from the case snapshot the events carry. */
export interface CaseContact {
  readonly caseId: string;
  readonly receiptNumber: string;
  readonly itemCode: string;
  readonly phone: ProtectedValue;
  /** 帮办代办: the agent's phone, who is texted too (AGENT_KINDS). */
  readonly agentPhone?: ProtectedValue;
}

/** One message to queue: its kind, its round (once per case, kind and round), its named values. */
export interface PlannedNotice {
  readonly kind: NotificationKind;
  readonly round: number;
  readonly values: Readonly<Record<string, string>>;
  /** Not before this instant (a reminder); otherwise as soon as possible. */
  readonly dueAt?: Date;
  /** A newer fact replaces the values of the message while it is still queued (a reminder's list). */
  readonly replaceQueued?: boolean;
}

export interface NoticePlan {
  readonly contact?: CaseContact;
  readonly notices: readonly PlannedNotice[];
  /** Kinds of the case whose queued messages no longer make sense (a reminder once supplied). */
  readonly cancel?: readonly NotificationKind[];
}

export interface OfficeFacts {
  readonly name: string;
  readonly address: string;
  readonly openingHours: string;
}

/** What the plans read from the reference data and the configuration. */
export interface NoticeFacts {
  itemName(itemCode: string): string;
  /** The names of an item's materials by code, joined for a message. */
  materialNames(itemCode: string, codes: readonly string[]): string;
  office(officeId: string): OfficeFacts;
  /** 承诺办结 date in China time (YYYY-MM-DD). */
  promisedDate(itemCode: string, district: string, acceptedAt: Date): string;
  /** China-time date of an instant. */
  localDate(instant: Date): string;
  readonly trackingUrl: string;
  ratingLink(caseId: string): string;
  readonly reminderLeadMs: number;
}

const FAILURE_REASONS: Readonly<Record<DeliveryFailureReason, string>> = {
  not_home: '无人签收',
  refused: '收件人拒收',
  wrong_address: '地址有误',
  unreachable_by_phone: '电话无法接通',
  identity_check_failed: '身份核验未通过',
  other: '其他原因',
};

/**
 * What the agent of a 帮办代办 case is texted too: every kind the applicant is but the rating link
 * of the hand-over, which is the applicant's to use (it works once).
 */
export const AGENT_KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS.filter(
  (kind) => kind !== 'completed',
);

function contactOf(caseId: string, snapshot: AnyCaseSnapshot): CaseContact {
  const assistance = 'assistance' in snapshot ? snapshot.assistance : undefined;
  const agentPhone = assistance?.mode === 'agent' ? assistance.agentPhone : undefined;
  return {
    caseId,
    receiptNumber: snapshot.receiptNumber,
    itemCode: snapshot.itemCode,
    phone: snapshot.applicant.phone,
    ...(agentPhone ? { agentPhone } : {}),
  };
}

/** 受理回执, and for a 容缺 acceptance the reminder before its deadline. */
export function planSubmitted(event: EventOf<'case.submitted'>, facts: NoticeFacts): NoticePlan {
  const p = event.payload;
  const acceptedAt = new Date(event.occurredAt);
  const notices: PlannedNotice[] = [
    {
      kind: 'accepted',
      round: 1,
      values: {
        itemName: facts.itemName(p.itemCode),
        receiptNumber: p.receiptNumber,
        promisedDate: facts.promisedDate(p.itemCode, p.acceptingDistrict, acceptedAt),
        trackingUrl: facts.trackingUrl,
      },
    },
  ];
  if (p.missingMaterials.length > 0 && p.supplementDueAt) {
    const due = new Date(p.supplementDueAt);
    const remindAt = new Date(Math.max(due.getTime() - facts.reminderLeadMs, acceptedAt.getTime()));
    if (remindAt < due) {
      notices.push({
        kind: 'supplement_reminder',
        round: 1,
        dueAt: remindAt,
        values: {
          receiptNumber: p.receiptNumber,
          materials: facts.materialNames(p.itemCode, p.missingMaterials),
          dueDate: facts.localDate(due),
        },
      });
    }
  }
  return { contact: contactOf(event.caseId, p), notices };
}

/**
 * 容缺后补 as intake reports it (`case.rongque`). Everything handed in: the reminder is no longer
 * wanted. Some still missing: a reminder not yet sent lists only those. The reminder: queued
 * (once per case, so it joins the one planned at acceptance). The deadline passed: the applicant
 * is told which materials are overdue.
 */
export function planRongque(
  event: EventOf<'case.rongque'>,
  facts: NoticeFacts,
  itemCode?: string,
): NoticePlan {
  const p = event.payload;
  if (p.kind === 'handed_in' && p.outstanding.length === 0)
    return { notices: [], cancel: ['supplement_reminder'] };
  const values = {
    materials: itemCode ? facts.materialNames(itemCode, p.outstanding) : p.outstanding.join('、'),
    dueDate: facts.localDate(new Date(p.dueAt)),
  };
  if (p.kind === 'expired') {
    return { notices: [{ kind: 'rongque_expired', round: 1, values }], cancel: ['supplement_reminder'] };
  }
  return {
    notices: [{ kind: 'supplement_reminder', round: 1, values, replaceQueued: p.kind === 'handed_in' }],
  };
}

/** 一次性告知: every material of the round with its reason, and the deadline. */
export function planSupplementRequested(
  event: EventOf<'case.supplement-requested'>,
  facts: NoticeFacts,
): NoticePlan {
  const p = event.payload;
  return {
    notices: [
      {
        kind: 'supplement_requested',
        round: p.round,
        values: {
          materials: p.items.map((item) => `${item.materialName}（${item.reason}）`).join('；'),
          dueDate: p.dueAt ? facts.localDate(new Date(p.dueAt)) : '补正期限内',
        },
      },
    ],
  };
}

export function planDecided(event: EventOf<'case.decided'>, facts: NoticeFacts): NoticePlan {
  const p = event.payload;
  const common = { itemName: facts.itemName(p.case.itemCode), receiptNumber: p.case.receiptNumber };
  const notice: PlannedNotice =
    p.outcome === 'approved'
      ? { kind: 'approved', round: 1, values: { ...common, documentNumber: p.resultDocument?.number ?? '' } }
      : { kind: 'rejected', round: 1, values: { ...common, reason: p.rejection?.text ?? '' } };
  // 容缺 materials stay due after an approval (the window may hold the result for them); a
  // rejection ends the case, and with it the reminder.
  return {
    contact: contactOf(event.caseId, p.case),
    notices: [notice],
    ...(p.outcome === 'rejected' ? { cancel: ['supplement_reminder'] as const } : {}),
  };
}

/**
 * Parcel events: the code for the courier or the window (each issued code is a round), the
 * courier on the way, a failed attempt with what happens next, and the hand-over with the link to
 * rate. The code arrives sealed and stays sealed in the store: `code` holds its ciphertext.
 */
export function planDeliveryUpdated(event: EventOf<'delivery.updated'>, facts: NoticeFacts): NoticePlan {
  const p = event.payload;
  const notices: PlannedNotice[] = [];
  const pickupCode = event.version === 2 ? event.payload.pickupCode : undefined;
  const changed = p.previousState !== p.state;
  if (pickupCode) {
    const expiryDate = facts.localDate(new Date(pickupCode.expiresAt));
    if (p.method === 'courier' && p.state !== 'ready_for_pickup' && p.state !== 'returned_to_window') {
      notices.push({
        kind: 'door_code',
        round: pickupCode.issue,
        values: { trackingNumber: p.trackingNumber, code: pickupCode.code.ciphertext, expiryDate },
      });
    } else if (p.officeId) {
      const office = facts.office(p.officeId);
      notices.push({
        kind: 'ready_for_pickup',
        round: pickupCode.issue,
        values: {
          trackingNumber: p.trackingNumber,
          officeName: office.name,
          officeAddress: office.address,
          openingHours: office.openingHours,
          code: pickupCode.code.ciphertext,
          expiryDate,
        },
      });
    }
  }
  if (changed && p.state === 'out_for_delivery') {
    notices.push({
      kind: 'out_for_delivery',
      round: p.attempt + 1,
      values: { trackingNumber: p.trackingNumber },
    });
  }
  if (changed && p.state === 'delivery_failed') {
    const next = p.nextAttemptAt
      ? `将于${facts.localDate(new Date(p.nextAttemptAt))}再次投递，如需改期或改为窗口自取，请凭运单号和手机尾号在${facts.trackingUrl}办理。`
      : `请凭运单号和手机尾号在${facts.trackingUrl}预约再次投递或改为窗口自取。`;
    notices.push({
      kind: 'delivery_failed',
      round: Math.max(p.attempt, 1),
      values: {
        trackingNumber: p.trackingNumber,
        attempt: String(Math.max(p.attempt, 1)),
        reason: FAILURE_REASONS[p.failureReason ?? 'other'],
        nextStep: next,
      },
    });
  }
  if (changed && (p.state === 'delivered' || p.state === 'collected')) {
    notices.push({
      kind: 'completed',
      round: 1,
      values: {
        trackingNumber: p.trackingNumber,
        how: p.state === 'delivered' ? '签收' : '领取',
        ratingLink: facts.ratingLink(event.caseId),
      },
    });
  }
  return { notices };
}

/** Values the sender adds from the case's contact when a plan could not know them (it may come later). */
export const CONTACT_VALUES = ['receiptNumber'] as const;

/** Template values that arrive sealed and are opened only when the message is sent. */
export const SEALED_VALUES: readonly string[] = ['code'];
