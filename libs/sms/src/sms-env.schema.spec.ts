import { smsEnvSchema } from './sms-env.schema';

const required = { SMS_SECRET_ID: 'id', SMS_SECRET_KEY: 'key', SMS_SDK_APP_ID: '1400000000' };

describe('smsEnvSchema', () => {
  it('defaults to Tencent Cloud SMS with quiet hours 21:30-08:00', () => {
    const env = smsEnvSchema.parse(required);
    expect(env.SMS_ENDPOINT.toString()).toBe('https://sms.tencentcloudapi.com/');
    expect(env.SMS_QUIET_HOURS).toEqual({ startMinute: 21 * 60 + 30, endMinute: 8 * 60 });
  });

  it('turns quiet hours off, and names a malformed value', () => {
    expect(smsEnvSchema.parse({ ...required, SMS_QUIET_HOURS: 'off' }).SMS_QUIET_HOURS).toBeNull();
    const result = smsEnvSchema.safeParse({ ...required, SMS_QUIET_HOURS: '22-8' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['SMS_QUIET_HOURS', 'must be off or HH:MM-HH:MM (China time)'],
    ]);
  });

  it('names each missing credential', () => {
    const result = smsEnvSchema.safeParse({});
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'SMS_SDK_APP_ID',
      'SMS_SECRET_ID',
      'SMS_SECRET_KEY',
    ]);
  });
});
