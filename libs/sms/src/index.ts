export * from './sms-templates';
export * from './sms-provider';
export * from './tencent-sms-provider';
export * from './tc3-signature';
export * from './local-sms-gateway';
export * from './applicant-link';
export * from './sms-env.schema';
