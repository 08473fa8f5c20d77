import { startLocalSmsGateway } from '../local-sms-gateway';

/**
 * Runs the local SMS gateway for development (`npm start` does): Tencent Cloud SMS's API on
 * loopback with an inbox per phone. Reads SMS_GATEWAY_HOST (127.0.0.1), SMS_GATEWAY_PORT (9400),
 * SMS_SECRET_ID, SMS_SECRET_KEY
 * and SMS_SDK_APP_ID, the same values the notification service is given.
 */
async function main(): Promise<void> {
  const env = process.env;
  const { SMS_SECRET_ID: secretId, SMS_SECRET_KEY: secretKey, SMS_SDK_APP_ID: smsSdkAppId } = env;
  if (!secretId || !secretKey || !smsSdkAppId)
    throw new Error('set SMS_SECRET_ID, SMS_SECRET_KEY and SMS_SDK_APP_ID');
  const gateway = await startLocalSmsGateway({
    port: Number(env['SMS_GATEWAY_PORT'] ?? 9400),
    host: env['SMS_GATEWAY_HOST'] ?? '127.0.0.1',
    secretId,
    secretKey,
    smsSdkAppId,
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
