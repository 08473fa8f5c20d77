/** One message for one phone, as the provider's template API takes it. */
export interface OutgoingSms {
  /** The 11 digits of a mainland mobile number. */
  readonly phone: string;
  readonly templateId: string;
  readonly params: readonly string[];
  /** Echoed in the provider's answer and status reports: our notification id. */
  readonly reference: string;
}

/**
 * What became of a send: `accepted` (the provider took it; `providerMessageId` matches later status
 * reports), `rejected` (it will never go out as it is: a bad number, an unapproved template) or
 * `retry` (the provider is down, throttling or unsure: try again later, `retryAfterMs` if it said).
 */
export type SendResult =
  | { readonly outcome: 'accepted'; readonly providerMessageId: string }
  | { readonly outcome: 'rejected'; readonly code: string }
  | { readonly outcome: 'retry'; readonly code: string; readonly retryAfterMs?: number };

export interface DeliveryReport {
  readonly providerMessageId: string;
  readonly delivered: boolean;
  readonly description: string;
}

export interface SmsProvider {
  /** The `provider` label of the metrics and the notification rows. */
  readonly name: string;
  send(message: OutgoingSms): Promise<SendResult>;
  /** Status reports (回执) the provider has not handed out yet; each is returned once. */
  pullReports(limit: number): Promise<readonly DeliveryReport[]>;
}
