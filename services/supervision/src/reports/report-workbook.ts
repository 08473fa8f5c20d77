import ExcelJS from 'exceljs';
import type { Figures } from '../figures/figures';
import { KIND_LABELS, type ReportPeriod } from './report-periods';

/** One 差评 rectification opened in the period, as the report lists it. */
export interface RectificationLine {
  readonly receiptNumber: string;
  readonly stage: string;
  readonly level: string;
  readonly officeId: string;
  readonly owner: string;
  readonly state: string;
  readonly openedAt: Date;
  readonly dueAt: Date;
  readonly closedAt: Date | null;
}

/** Everything a report shows: the period's figures in total and per office, department and item. */
export interface ReportContent {
  readonly period: ReportPeriod;
  readonly generatedAt: Date;
  readonly total: Figures | undefined;
  readonly byOffice: readonly Figures[];
  readonly byDepartment: readonly Figures[];
  readonly byItem: readonly Figures[];
  readonly rectifications: readonly RectificationLine[];
  /** The display name of an office, department or item code. */
  readonly nameOf: (dimension: 'office' | 'department' | 'item', key: string) => string;
}

/** The figure columns of every figures sheet, in order, with their Chinese headings. */
export const FIGURE_COLUMNS: readonly { readonly key: keyof Figures; readonly header: string }[] = [
  { key: 'accepted', header: '受理件数' },
  { key: 'decided', header: '办结件数' },
  { key: 'onTimeRateLegal', header: '按时办结率(法定)' },
  { key: 'onTimeRatePromised', header: '按时办结率(承诺)' },
  { key: 'instantRate', header: '即办率' },
  { key: 'avgWorkingDays', header: '平均办理工作日' },
  { key: 'p90WorkingDays', header: 'P90办理工作日' },
  { key: 'supplementRoundsPerCase', header: '件均补正次数' },
  { key: 'rongqueCompletionRate', header: '容缺补齐率' },
  { key: 'crossDistrictShare', header: '跨域件占比' },
  { key: 'ratings', header: '评价数' },
  { key: 'satisfactionRate', header: '满意率' },
  { key: 'badRatings', header: '差评数' },
  { key: 'returnVisitRate', header: '回访率' },
  { key: 'handledRate', header: '整改率' },
  { key: 'openRectifications', header: '未办结整改' },
];

const RECTIFICATION_HEADERS = [
  '受理编号',
  '评价环节',
  '评价等级',
  '窗口',
  '责任人',
  '状态',
  '评价时间',
  '整改期限',
  '办结时间',
];

const china = (instant: Date | null) =>
  instant ? new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

function figureRow(label: string, name: string, figures: Figures): (string | number | null)[] {
  return [label, name, ...FIGURE_COLUMNS.map((column) => figures[column.key] as number | null)];
}

/** The title line of a report: 月汇总 2026-11-01 至 2026-11-30. */
export function reportTitle(period: ReportPeriod): string {
  return `政务服务质量${KIND_LABELS[period.kind]} ${period.from} 至 ${period.to}`;
}

/** The report as an XLSX workbook (exceljs): 汇总, 按窗口, 按部门, 按事项, 差评整改. */
export async function renderWorkbook(content: ReportContent): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tongban supervision';
  workbook.created = content.generatedAt;
  const summary = workbook.addWorksheet('汇总');
  summary.addRow([reportTitle(content.period)]);
  summary.addRow(['生成时间', china(content.generatedAt)]);
  summary.addRow(['指标', '数值']);
  for (const column of FIGURE_COLUMNS)
    summary.addRow([column.header, content.total ? (content.total[column.key] as number | null) : null]);
  const sheets = [
    ['按窗口', 'office', content.byOffice],
    ['按部门', 'department', content.byDepartment],
    ['按事项', 'item', content.byItem],
  ] as const;
  for (const [title, dimension, rows] of sheets) {
    const sheet = workbook.addWorksheet(title);
    sheet.addRow(['代码', '名称', ...FIGURE_COLUMNS.map((column) => column.header)]);
    for (const figures of rows)
      sheet.addRow(figureRow(figures.key, content.nameOf(dimension, figures.key), figures));
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  const rectifications = workbook.addWorksheet('差评整改');
  rectifications.addRow(RECTIFICATION_HEADERS);
  for (const line of content.rectifications)
    rectifications.addRow([
      line.receiptNumber,
      line.stage,
      line.level,
      line.officeId,
      line.owner,
      line.state,
      china(line.openedAt),
      china(line.dueAt),
      china(line.closedAt),
    ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The same report as a printable page (no script, no external resource). */
export function renderPrintable(content: ReportContent): string {
  const figureHeaders = ['代码', '名称', ...FIGURE_COLUMNS.map((column) => column.header)];
  const section = (title: string, dimension: 'office' | 'department' | 'item', rows: readonly Figures[]) =>
    `<h2>${escape(title)}</h2>${table(
      figureHeaders,
      rows.map((figures) => figureRow(figures.key, content.nameOf(dimension, figures.key), figures)),
    )}`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(reportTitle(content.period))}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}th,td{border:1px solid #999;padding:2px 6px;font-size:12px}@media print{h2{page-break-before:always}}</style></head>
<body><h1>${escape(reportTitle(content.period))}</h1><p>生成时间 ${escape(china(content.generatedAt))}</p>
${table(
  ['指标', '数值'],
  FIGURE_COLUMNS.map((column) => [column.header, content.total ? content.total[column.key] : '']),
)}
${section('按窗口', 'office', content.byOffice)}${section('按部门', 'department', content.byDepartment)}${section('按事项', 'item', content.byItem)}
<h2>差评整改</h2>${table(
    RECTIFICATION_HEADERS,
    content.rectifications.map((line) => [
      line.receiptNumber,
      line.stage,
      line.level,
      line.officeId,
      line.owner,
      line.state,
      china(line.openedAt),
      china(line.dueAt),
      china(line.closedAt),
    ]),
  )}</body></html>`;
}
