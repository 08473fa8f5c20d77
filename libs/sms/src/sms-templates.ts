import { z } from 'zod';
import catalogue from './sms-templates.json';

export const NOTIFICATION_KINDS = [
  'accepted',
  'supplement_requested',
  'supplement_reminder',
  'rongque_expired',
  'approved',
  'rejected',
  'door_code',
  'out_for_delivery',
  'delivery_failed',
  'ready_for_pickup',
  'completed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const PLACEHOLDER = /\{(\d+)\}/g;

const templateSchema = z
  .strictObject({
    kind: z.enum(NOTIFICATION_KINDS),
    id: z.string().regex(/^\d{1,16}$/, 'must be the provider template id (digits)'),
    version: z.number().int().positive(),
    text: z.string().min(1).max(500),
    params: z.array(z.string().regex(/^[a-z][A-Za-z]*$/)).min(1),
  })
  .refine(
    (t) => {
      const numbers = [...t.text.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
      return numbers.length === t.params.length && numbers.every((n, i) => n === i + 1);
    },
    { message: 'the text must use {1}..{n} once each, in order, one per named parameter', path: ['text'] },
  );

export const smsCatalogueSchema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.string().min(1),
    templates: z.array(templateSchema),
  })
  .refine((c) => NOTIFICATION_KINDS.every((kind) => c.templates.some((t) => t.kind === kind)), {
    message: 'every notification kind needs a template',
  })
  .refine((c) => new Set(c.templates.map((t) => t.id)).size === c.templates.length, {
    message: 'template ids must be unique',
  });

export type SmsTemplate = z.infer<typeof templateSchema>;
export type SmsCatalogue = z.infer<typeof smsCatalogueSchema>;

/** The bundled catalogue, validated when first read so a broken template stops the service at boot. */
let bundled: SmsCatalogue | undefined;
export function smsCatalogue(): SmsCatalogue {
  bundled ??= smsCatalogueSchema.parse(catalogue);
  return bundled;
}

export function templateFor(kind: NotificationKind, catalogueIn: SmsCatalogue = smsCatalogue()): SmsTemplate {
  const template = catalogueIn.templates.find((t) => t.kind === kind);
  if (!template) throw new RangeError(`no SMS template for ${kind}`);
  return template;
}

export function templateById(
  id: string,
  catalogueIn: SmsCatalogue = smsCatalogue(),
): SmsTemplate | undefined {
  return catalogueIn.templates.find((t) => t.id === id);
}

/** The provider's parameter list (TemplateParamSet) from named values, in the template's order. */
export function templateParams(template: SmsTemplate, values: Readonly<Record<string, string>>): string[] {
  return template.params.map((name) => {
    const value = values[name];
    if (value === undefined || value === '') throw new RangeError(`template ${template.kind} needs ${name}`);
    return value;
  });
}

/** The text a phone shows, as the provider builds it: the signature, then the filled template. */
export function renderSms(
  signName: string,
  template: Pick<SmsTemplate, 'text'>,
  params: readonly string[],
): string {
  return `【${signName}】${template.text.replace(PLACEHOLDER, (_, n: string) => params[Number(n) - 1] ?? '')}`;
}
