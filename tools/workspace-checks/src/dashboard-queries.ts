import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** The query as written in the dashboard. */
  readonly expr: string;
  /** The query with Grafana's variables replaced, ready for Prometheus' /api/v1/query. */
  readonly query: string;
}

interface Panel {
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string; readonly refId?: string; readonly hide?: boolean }[];
  readonly panels?: readonly Panel[];
}

interface Dashboard {
  readonly title?: string;
  readonly panels?: readonly Panel[];
  readonly templating?: {
    readonly list?: readonly {
      readonly name: string;
      readonly current?: { readonly value?: string | string[] };
      readonly query?: unknown;
    }[];
  };
}

/**
 * Values for Grafana's built-in variables in an instant query. The range ones are what Grafana
 * would pick for a short dashboard range with a 1 s scrape interval: $__rate_interval is at least
 * four scrape intervals, so a rate over it sees samples.
 */
const BUILT_INS: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __interval_ms: '15000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

/** Replaces $name, ${name} and ${name:format} with its value; template variables match anything. */
export function substituteVariables(expr: string, templateVariables: readonly string[] = []): string {
  const value = (name: string): string | undefined =>
    BUILT_INS[name] ?? (templateVariables.includes(name) ? '.*' : undefined);
  return expr
    .replace(/\$\{(\w+)(?::\w+)?\}/g, (match, name: string) => value(name) ?? match)
    .replace(/\[\[(\w+)\]\]/g, (match, name: string) => value(name) ?? match)
    .replace(/\$(\w+)/g, (match, name: string) => value(name) ?? match);
}

function panelsOf(panels: readonly Panel[] = []): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels)]);
}

/** Every visible target with an `expr` of every dashboard JSON in `directory`. */
export function dashboardQueries(directory: string): PanelQuery[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const dashboard = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as Dashboard;
      const variables = (dashboard.templating?.list ?? []).map((variable) => variable.name);
      return panelsOf(dashboard.panels).flatMap((panel) =>
        (panel.targets ?? [])
          .filter((target) => target.expr !== undefined && target.expr.trim() !== '' && !target.hide)
          .map((target) => ({
            dashboard: dashboard.title ?? file,
            panel: panel.title ?? '(untitled)',
            refId: target.refId ?? '?',
            expr: target.expr!,
            query: substituteVariables(target.expr!, variables),
          })),
      );
    });
}
