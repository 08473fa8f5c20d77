/**
 * The SMS variables for a notification service under test whose messages need not leave: the
 * endpoint is a closed loopback port, so sends fail as retries and nothing is lost or sent.
 */
export const UNREACHABLE_SMS_ENV: Record<string, string> = {
  SMS_ENDPOINT: 'http://127.0.0.1:9',
  SMS_SECRET_ID: 'AKIDunreachable',
  SMS_SECRET_KEY: 'unreachable-test-secret',
  SMS_SDK_APP_ID: '1400000001',
  SMS_QUIET_HOURS: 'off',
};
