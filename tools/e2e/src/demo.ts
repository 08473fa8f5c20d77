/**
 * `npm run demo`: realistic traffic against the running services (`npm start -- --detach` first).
 * Offices across districts submit cases at a chosen rate; reviewers approve, reject and ask for
 * supplements; 秒批 and 并联 items; couriers deliver, some after a failed attempt; windows hand
 * results out; applicants rate. Prints per-stage counts and latencies while it runs, then a
 * reconciliation read back from intake.
 */

const HELP = `usage: npm run demo -- [--rate <cases per second>] [--duration <seconds>] [--grace <seconds>]
  --rate       new cases per second (default 1)
  --duration   how long offices keep submitting (default 60)
  --grace      how long to wait for cases still in flight at the end (default 90)
  env: INTAKE_URL, ROUTING_URL, APPROVAL_URL, DELIVERY_URL, NOTIFICATION_URL
       (default http://127.0.0.1:3001..3005), SMS_GATEWAY_URL (default http://127.0.0.1:9400:
       the local SMS gateway of npm start, whose inbox gives the applicants' pickup codes)`;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  if (process.argv.includes('--help')) return out(HELP);
  const rate = option('rate', 1);
  const durationS = option('duration', 60);
  const graceS = option('grace', 90);
  // The traffic's modules load only now: `--help` or a wrong option should not wait for them.
  const { runDemo } = await import('./demo-traffic');
  await runDemo({ rate, durationS, graceS });
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
