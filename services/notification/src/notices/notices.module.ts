import { type DynamicModule, Module } from '@nestjs/common';
import { createPiiCipher, PiiCipher } from '@tongban/pii';
import { ReferenceData } from '@tongban/reference-data';
import { TencentSmsProvider } from '@tongban/sms';
import {
  type NotificationConfig,
  SENDER_SETTINGS,
  senderSettings,
  SMS_PROVIDER,
} from '../config/notification-config';
import { NotificationMetrics } from '../sending/notification-metrics';
import { SmsSender } from '../sending/sms-sender.service';
import { CaseEventsConsumer } from './case-events.consumer';
import { referenceNoticeFacts } from './notice-facts';
import { NOTICE_FACTS, NoticePlanner } from './notice-planner.service';
import { NoticeStore } from './notice-store.service';
import { NotificationsController } from './notifications.controller';

const HOUR_MS = 3_600_000;

@Module({})
export class NoticesModule {
  static forRoot(config: NotificationConfig): DynamicModule {
    return {
      module: NoticesModule,
      controllers: [CaseEventsConsumer, NotificationsController],
      providers: [
        { provide: PiiCipher, useFactory: () => createPiiCipher(config) },
        { provide: SENDER_SETTINGS, useValue: senderSettings(config) },
        {
          provide: SMS_PROVIDER,
          useFactory: () =>
            new TencentSmsProvider({
              endpoint: config.SMS_ENDPOINT,
              region: config.SMS_REGION,
              secretId: config.SMS_SECRET_ID,
              secretKey: config.SMS_SECRET_KEY,
              smsSdkAppId: config.SMS_SDK_APP_ID,
              signName: config.SMS_SIGN_NAME,
              timeoutSeconds: config.SMS_TIMEOUT_SECONDS,
            }),
        },
        {
          provide: NOTICE_FACTS,
          inject: [ReferenceData],
          useFactory: (reference: ReferenceData) =>
            referenceNoticeFacts(reference, {
              applicantBaseUrl: config.APPLICANT_BASE_URL,
              linkKey: config.PII_HASH_KEY,
              reminderLeadMs: config.NOTIFY_SUPPLEMENT_REMINDER_HOURS * HOUR_MS,
            }),
        },
        NotificationMetrics,
        NoticePlanner,
        NoticeStore,
        SmsSender,
      ],
    };
  }
}
