import { startLocalSmsGateway } from '../local-sms-gateway';

/**
 * Runs the local SMS gateway for development (`npm start` does): Tencent Cloud SMS's API on
 * loopback with an inbox per phone. Reads SMS_GATEWAY_HOST (127.0.0.1), SMS_GATEWAY_PORT (9400),
 * SMS_SECRET_ID, SMS_SECRET_KEY
 * and SMS_SDK_APP_ID, the same values the notification service is given.
 */
async function main(): Promise<void> {
  const env = process.env;
  const missing = ['SMS_SECRET_ID', 'SMS_SECRET_KEY', 'SMS_SDK_APP_ID'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`set ${missing.join(', ')}`);
  const gateway = await startLocalSmsGateway({
    port: Number(env['SMS_GATEWAY_PORT'] ?? 9400),
    host: env['SMS_GATEWAY_HOST'] ?? '127.0.0.1',
    secretId: env['SMS_SECRET_ID']!,
    secretKey: env['SMS_SECRET_KEY']!,
    smsSdkAppId: env['SMS_SDK_APP_ID']!,
  });
  process.stdout.write(`local SMS gateway on ${gateway.url} (inbox: GET /inbox/<phone>)\n`);
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sms gateway: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
