import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { autoApprovedPickupClaim } from '@tongban/service-testing';

export interface Submission {
  readonly caseId: string;
  /** POST /cases round trip. */
  readonly ms: number;
  /** When the 201 arrived (epoch ms): the case was accepted by then. */
  readonly at: number;
}

/** Drives POST /cases; every case is a 秒批 claim collected at the window. */
export class Load {
  readonly submissions: Submission[] = [];
  failed = 0;
  /** Why POSTs failed: the status answered, or the error (a timeout, a refused connection). */
  readonly failures = new Map<string, number>();

  constructor(
    private readonly intakeUrl: string,
    private readonly token: string,
  ) {}

  async submit(): Promise<void> {
    const started = performance.now();
    try {
      const response = await fetch(`${this.intakeUrl}/cases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${randomUUID()}`,
        },
        body: JSON.stringify(autoApprovedPickupClaim()),
        signal: AbortSignal.timeout(30000),
      });
      const answer = (await response.json()) as { caseId?: string };
      if (response.status !== 201 || !answer.caseId) throw new Error(`POST /cases ${response.status}`);
      this.submissions.push({ caseId: answer.caseId, ms: performance.now() - started, at: Date.now() });
    } catch (error) {
      this.failed += 1;
      const reason = error instanceof Error ? error.message : String(error);
      this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
    }
  }

  /** `clients` loops posting back to back until `seconds` have passed. */
  async closedLoop(clients: number, seconds: number): Promise<void> {
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < end) await this.submit();
      }),
    );
  }

  /** Starts one case every 1/rate s (not waiting for answers) for `seconds`. */
  async paced(rate: number, seconds: number): Promise<void> {
    const start = Date.now();
    const inFlight: Promise<void>[] = [];
    for (let n = 0; n < rate * seconds; n++) {
      const due = start + (n * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      inFlight.push(this.submit());
    }
    await Promise.all(inFlight);
  }
}
