import { i18next } from '../i18n/i18n';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18next.language, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));
}

/** A status or stage code in words, the code itself when no translation exists. */
export function label(prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return i18next.exists(key) ? i18next.t(key) : code;
}

export function stageLabel(stage: string): string {
  if (stage.startsWith('delivery_'))
    return i18next.t('stages.delivery', { state: label('courier.states', stage.slice('delivery_'.length)) });
  return label('stages', stage);
}
