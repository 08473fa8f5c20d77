import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { DeliveryReport, OutgoingSms, SendResult, SmsProvider } from './sms-provider';

export interface TencentSmsSettings {
  /** e.g. https://sms.tencentcloudapi.com, or http://127.0.0.1:9400 for the local gateway. */
  readonly endpoint: URL;
  readonly region: string;
  readonly secretId: string;
  readonly secretKey: string;
  readonly smsSdkAppId: string;
  readonly signName: string;
  readonly timeoutSeconds: number;
}

// Error codes (API 3.0 and SendStatus.Code) after which the same request can never succeed.
const PERMANENT = [
  'InvalidParameterValue.IncorrectPhoneNumber',
  'InvalidParameterValue.TemplateParameterFormatError',
  'InvalidParameterValue.TemplateParameterLengthLimit',
  'FailedOperation.TemplateIncorrectOrUnapproved',
  'FailedOperation.PhoneNumberInBlacklist',
  'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
];

function classify(code: string): SendResult {
  return PERMANENT.includes(code) ? { outcome: 'rejected', code } : { outcome: 'retry', code };
}

interface SdkError {
  readonly code?: string;
  readonly httpCode?: number;
}

/**
 * Tencent Cloud SMS through its official SDK (tencentcloud-sdk-nodejs-sms, API 2021-01-11). Every
 * error that is not known to be final is a `retry`: a message is delayed rather than lost. Auth
 * and configuration errors are retried too, so fixing the secret sends what queued meanwhile.
 */
export class TencentSmsProvider implements SmsProvider {
  readonly name = 'tencent';
  private readonly client: InstanceType<typeof sms.v20210111.Client>;

  constructor(private readonly settings: TencentSmsSettings) {
    this.client = new sms.v20210111.Client({
      credential: { secretId: settings.secretId, secretKey: settings.secretKey },
      region: settings.region,
      profile: {
        httpProfile: {
          endpoint: settings.endpoint.host,
          protocol: `${settings.endpoint.protocol}//`,
          reqTimeout: settings.timeoutSeconds,
        },
      },
    });
  }

  async send(message: OutgoingSms): Promise<SendResult> {
    try {
      const answer = await this.client.SendSms({
        PhoneNumberSet: [`+86${message.phone}`],
        SmsSdkAppId: this.settings.smsSdkAppId,
        SignName: this.settings.signName,
        TemplateId: message.templateId,
        TemplateParamSet: [...message.params],
        SessionContext: message.reference,
      });
      const [status] = answer.SendStatusSet ?? [];
      if (!status?.Code) return { outcome: 'retry', code: 'NoSendStatus' };
      if (status.Code === 'Ok' && status.SerialNo)
        return { outcome: 'accepted', providerMessageId: status.SerialNo };
      return classify(status.Code);
    } catch (error) {
      const { code, httpCode } = error as SdkError;
      if (code) return classify(code);
      return { outcome: 'retry', code: httpCode ? `HTTP${httpCode}` : 'NetworkError' };
    }
  }

  async pullReports(limit: number): Promise<readonly DeliveryReport[]> {
    const answer = await this.client.PullSmsSendStatus({
      Limit: limit,
      SmsSdkAppId: this.settings.smsSdkAppId,
    });
    return (answer.PullSmsSendStatusSet ?? []).flatMap((report) =>
      report.SerialNo
        ? [
            {
              providerMessageId: report.SerialNo,
              delivered: report.ReportStatus === 'SUCCESS',
              description: report.Description ?? '',
            },
          ]
        : [],
    );
  }
}
