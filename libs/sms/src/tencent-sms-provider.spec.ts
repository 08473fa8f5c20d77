import { generatePhone } from '@tongban/pii';
import { type LocalSmsGateway, startLocalSmsGateway } from './local-sms-gateway';
import { templateFor } from './sms-templates';
import { TencentSmsProvider, type TencentSmsSettings } from './tencent-sms-provider';

const credentials = { secretId: 'AKIDlocaltest', secretKey: 'local-test-secret', smsSdkAppId: '1400000000' };

describe('TencentSmsProvider (official SDK) against the local gateway', () => {
  let gateway: LocalSmsGateway;
  let settings: TencentSmsSettings;

  beforeAll(async () => {
    gateway = await startLocalSmsGateway(credentials);
    settings = {
      ...credentials,
      endpoint: new URL(gateway.url),
      region: 'ap-guangzhou',
      signName: '通办通取',
      timeoutSeconds: 5,
    };
  });
  afterAll(() => gateway.close());
  afterEach(() => gateway.setMode('ok'));

  const doorCode = (phone: string) => ({
    phone,
    templateId: templateFor('door_code').id,
    params: ['TB20261204000001', '482913', '2026-12-18'],
    reference: 'n-1',
  });

  it('sends a signed SendSms that the phone receives as the rendered, signed text', async () => {
    const phone = generatePhone();
    const result = await new TencentSmsProvider(settings).send(doorCode(phone));
    expect(result.outcome).toBe('accepted');
    expect(gateway.inbox(phone).map((m) => m.text)).toEqual([
      '【通办通取】您的办件结果（运单号TB20261204000001）将派送上门，签收时请向投递员出示取件码482913，2026-12-18前有效。',
    ]);
  });

  it('hands out each status report once, matching the accepted message', async () => {
    const provider = new TencentSmsProvider(settings);
    await provider.pullReports(100);
    const sent = await provider.send(doorCode(generatePhone()));
    const reports = await provider.pullReports(100);
    expect(reports).toEqual([
      {
        providerMessageId: (sent as { providerMessageId: string }).providerMessageId,
        delivered: true,
        description: 'DELIVRD',
      },
    ]);
    expect(await provider.pullReports(100)).toEqual([]);
  });

  it('is refused with a wrong secret, as a retry (configuration can be fixed) and nothing is sent', async () => {
    const phone = generatePhone();
    const result = await new TencentSmsProvider({ ...settings, secretKey: 'wrong' }).send(doorCode(phone));
    expect(result).toEqual({ outcome: 'retry', code: 'AuthFailure.SignatureFailure' });
    expect(gateway.inbox(phone)).toEqual([]);
  });

  it('reports a provider that is down or throttling as retry, and an unknown template as rejected', async () => {
    const provider = new TencentSmsProvider(settings);
    gateway.setMode('down');
    expect(await provider.send(doorCode(generatePhone()))).toEqual({ outcome: 'retry', code: 'HTTP503' });
    gateway.setMode('throttled');
    expect(await provider.send(doorCode(generatePhone()))).toEqual({
      outcome: 'retry',
      code: 'RequestLimitExceeded',
    });
    gateway.setMode('ok');
    expect(await provider.send({ ...doorCode(generatePhone()), templateId: '999' })).toEqual({
      outcome: 'rejected',
      code: 'FailedOperation.TemplateIncorrectOrUnapproved',
    });
  });

  it('reports a provider that does not answer at all as retry', async () => {
    const provider = new TencentSmsProvider({ ...settings, endpoint: new URL('http://127.0.0.1:9') });
    expect(await provider.send(doorCode(generatePhone()))).toEqual({
      outcome: 'retry',
      code: 'NetworkError',
    });
  });
});
