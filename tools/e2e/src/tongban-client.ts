import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Actor, type DevAuthKeys, mintDevToken } from '@tongban/auth';
import { SERVICE_NAMES, type ServiceName } from '@tongban/config';
import { generatePhone, generateResidentId, type PiiCipher } from '@tongban/pii';
import { Pool } from 'pg';

/**
 * A client of the services through their public HTTP APIs, shared by the end-to-end test, the
 * fault suite and `npm run demo`. Pickup codes come as the applicant gets them: texts in the
 * local SMS gateway's inbox of their phone (`PhoneInbox`).
 */

/** Every service the test kit runs (TongbanSystem starts the same list). */
export const SERVICES = SERVICE_NAMES;
export type { ServiceName };
export type Endpoints = Record<ServiceName, string>;

export const OFFICES = {
  xinan: '440306001', // 宝安区新安街道: dispatch desk and window
  xixiang: '440306002', // 宝安区西乡街道: a window
  luohu: '440303001', // 罗湖区桂园街道: a window
} as const;

// Subjects carry a run tag, so the per-subject rate limits and proof-check budgets in Redis are
// never shared with another run.
export const actors = (tag: string) => ({
  staff: (officeId: string): Actor => ({ sub: `staff-${officeId}-${tag}`, role: 'office_staff', officeId }),
  reviewer: (departmentId: string, n = 1): Actor => ({
    sub: `reviewer-${departmentId}-${n}-${tag}`,
    role: 'reviewer',
    departmentId,
    supervisor: false,
  }),
  courier: (courierId: string): Actor => ({ sub: `${courierId}-${tag}`, role: 'courier', courierId }),
  operator: { sub: `operator-${tag}`, role: 'operator' } as Actor,
  admin: { sub: `admin-${tag}`, role: 'admin' } as Actor,
});
export type Actors = ReturnType<typeof actors>;

export interface Answer<Body = Record<string, unknown>> {
  readonly status: number;
  readonly body: Body;
  readonly text: string;
  /** From a 429's or 503's Retry-After header: how long the service asked the caller to wait. */
  readonly retryAfterMs?: number;
}

/** An HTTP error answer seen by the client, kept for the personal-data scan. */
export interface ErrorSeen {
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly text: string;
  /** The trace the client started for the call; the service logs every line of it with this id. */
  readonly traceId: string;
  /** When the answer arrived (ms since the epoch). */
  readonly at: number;
}

// About 400 MB of UTF-16 strings: far below the test process's heap limit.
const MAX_ANSWER_CHARS = 200_000_000;

export class TongbanClient {
  private readonly tokens = new Map<string, Promise<string>>();
  readonly errors: ErrorSeen[] = [];
  /** Calls that got no answer within the client's timeout (15 s): a service that hung. */
  readonly timeouts: { readonly service: ServiceName; readonly path: string; readonly at: number }[] = [];
  /**
   * Every distinct successful answer, for the re-identification check of what each role was
   * shown (error bodies are in `errors`). Distinct, because journeys poll the same lists again and
   * again; bounded, so a long fault run cannot exhaust the test process's heap (it once did).
   */
  readonly answers: {
    readonly service: ServiceName;
    readonly method: string;
    readonly path: string;
    readonly text: string;
  }[] = [];
  private readonly answerDigests = new Set<string>();
  private answerChars = 0;
  /** True once the bound was reached and later answers were not kept. */
  answersTruncated = false;

  /** `onServerError` hears of every 5xx as it arrives, so a suite can say why it happened. */
  constructor(
    readonly endpoints: Endpoints,
    private readonly keys: DevAuthKeys,
    private readonly onServerError?: (error: ErrorSeen) => void,
  ) {}

  token(actor: Actor): Promise<string> {
    let token = this.tokens.get(actor.sub);
    if (!token) {
      token = mintDevToken(actor, this.keys);
      this.tokens.set(actor.sub, token);
    }
    return token;
  }

  async call<Body = Record<string, unknown>>(
    service: ServiceName,
    method: 'GET' | 'POST',
    path: string,
    actor?: Actor,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<Body>> {
    // Each call starts its own trace, so a failed one can be found in the service's log.
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${this.endpoints[service]}${path}`, {
      method,
      headers: {
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        ...(actor ? { authorization: `Bearer ${await this.token(actor)}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15000),
    }).catch((error: Error) => {
      if (error.name === 'TimeoutError') this.timeouts.push({ service, path, at: Date.now() });
      throw error;
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.status < 400) this.keepAnswer(service, method, path, text);
    if (response.status >= 400) {
      const seen = { service, method, path, status: response.status, text, traceId, at: Date.now() };
      if (this.errors.length < 5000) this.errors.push(seen);
      if (response.status >= 500) this.onServerError?.(seen);
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      body: parsed as Body,
      text,
      ...((response.status === 429 || response.status === 503) && retryAfter > 0
        ? { retryAfterMs: retryAfter * 1000 }
        : {}),
    };
  }

  private keepAnswer(service: ServiceName, method: string, path: string, text: string): void {
    const digest = createHash('sha1').update(text).digest('base64');
    if (this.answerDigests.has(digest)) return;
    if (this.answerChars + text.length > MAX_ANSWER_CHARS) {
      this.answersTruncated = true;
      return;
    }
    this.answerDigests.add(digest);
    this.answerChars += text.length;
    this.answers.push({ service, method, path, text });
  }

  async ready(service: ServiceName): Promise<Answer> {
    return this.call(service, 'GET', '/health/ready');
  }
}

/** Thrown by a step whose answer was not the one expected; `eventually` retries it. */
export class UnexpectedAnswer extends Error {
  /** Set when the service throttled the call or is unavailable: the next try waits at least this long. */
  readonly retryAfterMs?: number;

  constructor(what: string, answer: Answer<unknown>) {
    super(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
    this.retryAfterMs = answer.retryAfterMs;
  }
}

export function expectStatus<Body>(what: string, answer: Answer<Body>, ...wanted: number[]): Answer<Body> {
  if (!wanted.includes(answer.status)) throw new UnexpectedAnswer(what, answer);
  return answer;
}

export interface PollOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Polls until `attempt` returns without throwing (the same contract as `expectEventually`). A
 * throttled (429) or unavailable (503) answer is retried no sooner than its Retry-After, not every
 * `intervalMs`.
 */
export async function eventually<T>(
  attempt: () => Promise<T>,
  { timeoutMs = 30000, intervalMs = 200 }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let waitMs = intervalMs;
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= deadline) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`still failing after ${timeoutMs} ms: ${message}`);
      }
      if (error instanceof UnexpectedAnswer && error.retryAfterMs)
        waitMs = Math.max(intervalMs, error.retryAfterMs);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, Math.max(deadline - Date.now(), 0))));
  }
}

/** A parcel whose pickup code was texted to the applicant's phone. */
export interface TextedParcel {
  readonly parcelId: string;
  readonly trackingNumber: string;
  readonly phone: string;
}

/** Where a journey reads the pickup code the applicant was texted. */
export interface PickupCodeSource {
  /** The latest code of the parcel; throws while none has arrived. */
  latestCode(parcel: TextedParcel): Promise<string>;
  close(): Promise<void>;
}

export interface ReceivedText {
  readonly text: string;
  readonly receivedAt: string;
}

/**
 * What a phone received, read from the local SMS gateway's inbox (GET /inbox/<phone>), the way
 * the applicant reads it: the code is the one in the latest text naming the parcel's tracking
 * number.
 */
export class PhoneInbox implements PickupCodeSource {
  constructor(private readonly gatewayUrl: string) {}

  async texts(phone: string): Promise<readonly ReceivedText[]> {
    const response = await fetch(`${this.gatewayUrl}/inbox/${phone}`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`SMS gateway inbox answered ${response.status}`);
    return ((await response.json()) as { messages: ReceivedText[] }).messages;
  }

  async latestCode(parcel: TextedParcel): Promise<string> {
    const texts = await this.texts(parcel.phone);
    const code = texts
      .filter((t) => t.text.includes(`运单号${parcel.trackingNumber}`))
      .map((t) => /取件码(\d{6})/.exec(t.text)?.[1])
      .filter((c) => c !== undefined)
      .at(-1);
    if (!code) throw new Error(`no pickup code texted for parcel ${parcel.trackingNumber} yet`);
    return code;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Reads a parcel's latest pickup code from delivery's outbox, where it waits sealed in the
 * `delivery.updated` event that issued it; for suites that run without the notification service's
 * texts in view. Journeys that can read a phone's inbox use `PhoneInbox`.
 */
export class SmsGateway implements PickupCodeSource {
  private readonly pool: Pool;

  constructor(
    deliveryDatabaseUrl: string,
    private readonly cipher: PiiCipher,
  ) {
    this.pool = new Pool({ connectionString: deliveryDatabaseUrl, max: 2 });
    this.pool.on('error', () => undefined);
  }

  async latestCode(parcel: Pick<TextedParcel, 'parcelId'>): Promise<string> {
    const { rows } = await this.pool.query<{ ciphertext: string }>(
      `SELECT payload->'payload'->'pickupCode'->'code'->>'ciphertext' AS ciphertext FROM outbox
        WHERE topic = 'delivery.updated' AND payload->'payload'->>'parcelId' = $1
          AND payload->'payload' ? 'pickupCode'
        ORDER BY id DESC LIMIT 1`,
      [parcel.parcelId],
    );
    if (!rows[0]) throw new Error(`no pickup code issued for parcel ${parcel.parcelId} yet`);
    return this.cipher.decrypt(rows[0].ciphertext);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

// --- applicants and cases --------------------------------------------------------------------

export interface Applicant {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly householdDistrict: string;
}

export function applicantOf(householdDistrict: string, birthDate: string): Applicant {
  return {
    name: '测试申请人',
    idNumber: generateResidentId({ regionCode: householdDistrict, birthDate }),
    phone: generatePhone(),
    householdDistrict,
  };
}

/**
 * The kinds of case the journeys drive:
 * - door: 失业保险金申领 of a 罗湖 resident accepted in 宝安 (跨域), aged over 59 so 秒批 refers it
 *   to a reviewer of 440303-rsj; delivered to the door by a courier;
 * - instant: the same item for a young 宝安 resident with every material: 秒批, window pickup;
 * - parallel: 残疾人证办理, 440306-cl with 440306-wjj in parallel (并联审批), window pickup;
 * - supplement: 技能人员职业资格证书补贴申领 accepted 容缺 without the bank account; the reviewer
 *   asks for it (一次性告知), the office hands it in, the reviewer approves; pickup at 西乡;
 * - unroutable: 临时救助申请 while its routing rule is withdrawn; an operator assigns it from
 *   triage to 440306-mz, whose reviewer approves; pickup;
 * - reject: as door but accepted with pickup, and the reviewer rejects it;
 * - agent: 社会保障卡申领 of an adult (no guardian's ID card), brought by an agent (帮办代办) who
 *   collects the card at the window with the code texted to the agent's phone and the agent's ID;
 * - rongque: 社会保障卡申领 accepted 容缺 without the photo; the card is held at the window until
 *   the office hands the photo in, before the 容缺 deadline.
 */
export const CASE_KINDS = [
  'door',
  'instant',
  'parallel',
  'supplement',
  'unroutable',
  'reject',
  'agent',
  'rongque',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface CasePlan {
  readonly kind: CaseKind;
  readonly officeId: string;
  readonly itemCode: string;
  readonly applicant: Applicant;
  readonly body: Record<string, unknown>;
  /** Departments whose reviewers decide (empty for 秒批). */
  readonly departments: readonly string[];
  /** Where the parcel is handled: the pickup window, or the dispatch desk for door delivery. */
  readonly parcelOfficeId: string | null;
  readonly method: 'courier' | 'pickup' | null;
  /** 帮办代办: the agent who brought the case and collects it. */
  readonly agent?: Applicant;
  /** 容缺: the materials left out at acceptance, which the office hands in before collection. */
  readonly rongque?: readonly { code: string; name: string }[];
}

const materials = (...codes: string[]) => codes.map((code) => ({ code, name: code }));

export function planCase(kind: CaseKind): CasePlan {
  const local = (birth = '1990-03-15') => applicantOf('440306', birth);
  const person = (a: Applicant) => ({
    kind: 'person',
    name: a.name,
    idNumber: a.idNumber,
    phone: a.phone,
    householdDistrict: a.householdDistrict,
  });
  const pickupAt = (officeId: string) => ({ method: 'pickup', officeId });
  const plan = (
    itemCode: string,
    applicant: Applicant,
    mats: string[],
    delivery: Record<string, unknown>,
    departments: string[],
    extra: Partial<CasePlan> = {},
  ): CasePlan => {
    const method = delivery['method'] as 'courier' | 'pickup';
    return {
      kind,
      officeId: OFFICES.xinan,
      itemCode,
      applicant,
      body: { itemCode, applicant: person(applicant), materials: materials(...mats), delivery },
      departments,
      parcelOfficeId: method === 'pickup' ? (delivery['officeId'] as string) : OFFICES.xinan,
      method,
      ...extra,
    };
  };
  switch (kind) {
    case 'door': {
      const a = applicantOf('440303', '1962-08-20');
      return plan(
        'RS-SYBXJ-001',
        a,
        ['id_card', 'termination_certificate', 'bank_account'],
        { method: 'courier', address: { districtCode: '440303', detail: '罗湖区桂园街道测试路8号' } },
        ['440303-rsj'],
      );
    }
    case 'reject': {
      const a = applicantOf('440303', '1961-01-05');
      return plan(
        'RS-SYBXJ-001',
        a,
        ['id_card', 'termination_certificate', 'bank_account'],
        pickupAt(OFFICES.luohu),
        ['440303-rsj'],
        { parcelOfficeId: null, method: null },
      );
    }
    case 'instant':
      return plan(
        'RS-SYBXJ-001',
        local(),
        ['id_card', 'termination_certificate', 'bank_account'],
        pickupAt(OFFICES.xinan),
        [],
      );
    case 'parallel':
      return plan(
        'CL-CJRZ-001',
        local('1975-11-02'),
        ['id_card', 'household_register', 'disability_assessment', 'photo'],
        pickupAt(OFFICES.xinan),
        ['440306-cl', '440306-wjj'],
      );
    case 'supplement':
      return plan(
        'RS-ZYZGBT-005',
        local('1985-04-30'),
        ['id_card', 'qualification_certificate', 'contribution_record'],
        pickupAt(OFFICES.xixiang),
        ['440306-rsj'],
      );
    case 'unroutable':
      return plan(
        UNROUTABLE_ITEM,
        local('1970-07-07'),
        ['id_card', 'hardship_statement', 'supporting_documents'],
        pickupAt(OFFICES.xinan),
        ['440306-mz'],
      );
    case 'agent': {
      const agent = applicantOf('440303', '1968-09-12');
      const base = plan('RS-SBKSL-003', local('1992-06-18'), ['id_card', 'photo'], pickupAt(OFFICES.xinan), [
        '440306-rsj',
      ]);
      return {
        ...base,
        agent,
        body: {
          ...base.body,
          assistance: {
            mode: 'agent',
            agentName: '代办人',
            relation: '配偶',
            agentIdNumber: agent.idNumber,
            agentPhone: agent.phone,
          },
        },
      };
    }
    case 'rongque':
      return plan('RS-SBKSL-003', local('1988-01-21'), ['id_card'], pickupAt(OFFICES.xinan), ['440306-rsj'], {
        rongque: [{ code: 'photo', name: '近期免冠彩色证件照片' }],
      });
  }
}

/** The item whose routing rule `withdrawRoutingRule` closes, so its cases land in triage. */
export const UNROUTABLE_ITEM = 'MZ-LSJZ-003';

/**
 * 事项目录待更新: an admin closes the item's routing rule (a version in force for one second), so
 * every later case of it is unroutable until an operator assigns it by hand. Resolves once a dry
 * run says so. Only for a routing database of the caller's own (the e2e and fault systems).
 */
export async function withdrawRoutingRule(client: TongbanClient, who: Actors): Promise<void> {
  const effectiveTo = new Date(Date.now() + 1000).toISOString();
  expectStatus(
    'close the routing rule',
    await client.call('routing', 'POST', '/rules/versions', who.admin, {
      itemCode: UNROUTABLE_ITEM,
      basis: 'accepting_office',
      departmentType: 'mz',
      effectiveTo,
      note: '事项目录待更新: 暂停自动分拨, 由运维人工分拨',
    }),
    200,
    201,
  );
  await eventually(async () => {
    const answer = await client.call('routing', 'POST', '/routing/dry-run', who.operator, {
      itemCode: UNROUTABLE_ITEM,
      officeId: OFFICES.xinan,
      applicant: { kind: 'person', householdDistrict: '440306' },
    });
    expectStatus('dry run', answer, 200);
    if (answer.body['outcome'] !== 'unroutable') throw new UnexpectedAnswer('still routed', answer);
  });
}

export const newIdempotencyKey = (): string => randomUUID();
