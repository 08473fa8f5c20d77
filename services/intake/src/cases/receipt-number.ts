const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The office's calendar day (Asia/Shanghai, no daylight saving) as YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** 受理回执号: office code, day, and the office's sequence of that day, e.g. 440306001-20261124-0007. */
export function formatReceiptNumber(officeId: string, day: string, sequence: number): string {
  return `${officeId}-${day.replace(/-/g, '')}-${String(sequence).padStart(4, '0')}`;
}
