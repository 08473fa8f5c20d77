import { normalizePhone } from '@tongban/pii';

const HELP = `usage: npm run sms -- --to <phone> [--json]
  Shows the text messages a phone received through the local SMS gateway, oldest first.
  env: SMS_GATEWAY_URL (default http://127.0.0.1:9400)`;

interface Received {
  readonly text: string;
  readonly receivedAt: string;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const index = args.indexOf('--to');
  const phone = index >= 0 ? normalizePhone(args[index + 1] ?? '') : null;
  if (args.includes('--help') || !phone) {
    process.stdout.write(`${HELP}\n`);
    if (!args.includes('--help')) process.exitCode = 2;
    return;
  }
  const url = process.env['SMS_GATEWAY_URL'] ?? 'http://127.0.0.1:9400';
  const response = await fetch(`${url}/inbox/${phone}`).catch(() => {
    throw new Error(`no SMS gateway answers at ${url}: is \`npm start\` running?`);
  });
  if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: Received[] };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(messages, null, 2)}\n`);
    return;
  }
  if (messages.length === 0) process.stdout.write('no messages\n');
  for (const message of messages) process.stdout.write(`${message.receivedAt}  ${message.text}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`sms: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
