import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ReferenceData } from '@tongban/reference-data';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RouteDecision } from './route-decision';
import { RoutingStore } from './routing-store';
import type { DecisionOrigin } from './routing-tables';

/**
 * Routing's stage metrics. Labels are bounded by the reference data (departments, districts,
 * reasons), never case ids. The cross-district share is
 * `sum(rate(tongban_cases_routed_total{cross_district="true"}[5m])) / sum(rate(tongban_cases_routed_total[5m]))`.
 */
@Injectable()
export class RoutingMetrics implements OnModuleDestroy {
  readonly routed: Counter<'department' | 'district' | 'cross_district' | 'origin'>;
  readonly unroutable: Counter<'reason'>;
  readonly latency: Histogram;
  readonly ruleReloads: Counter<'trigger'>;
  readonly rulesRevision: Gauge;
  readonly calendarFallbacks: Counter<'region' | 'year'>;
  private readonly stopCountingFallbacks: () => void;

  constructor(@Inject(SERVICE_METRICS) registry: Registry, store: RoutingStore, reference: ReferenceData) {
    this.routed = new Counter({
      name: 'tongban_cases_routed_total',
      help: 'Routing decisions that assigned a case, by primary department, its district, cross-district flag and origin (rules, triage, reroute)',
      labelNames: ['department', 'district', 'cross_district', 'origin'],
      registers: [registry],
    });
    this.unroutable = new Counter({
      name: 'tongban_cases_unroutable_total',
      help: 'Submitted cases that matched no usable rule and went to manual triage, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'tongban_routing_latency_seconds',
      help: 'From the case.submitted event (occurredAt) to the committed routing decision',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.ruleReloads = new Counter({
      name: 'tongban_routing_rule_reloads_total',
      help: 'Times this instance reloaded its cached rules, by trigger (start, notice from Redis, revision seen in a routing transaction, own change)',
      labelNames: ['trigger'],
      registers: [registry],
    });
    this.rulesRevision = new Gauge({
      name: 'tongban_routing_rules_revision',
      help: 'The rules revision this instance routes with',
      registers: [registry],
    });
    this.calendarFallbacks = new Counter({
      name: 'tongban_calendar_fallback_days_total',
      help: 'Working-day lookups answered by the Monday-Friday fallback because calendars.json does not ship the year, by region and year',
      labelNames: ['region', 'year'],
      registers: [registry],
    });
    this.stopCountingFallbacks = reference.onCalendarFallback((region, date) =>
      this.calendarFallbacks.inc({ region, year: date.slice(0, 4) }),
    );
    new Gauge({
      name: 'tongban_routing_triage_open',
      help: 'Cases waiting in the manual triage queue',
      registers: [registry],
      async collect() {
        this.set(await store.openTriageCount());
      },
    });
  }

  onModuleDestroy(): void {
    this.stopCountingFallbacks();
  }

  countRouted(decision: Extract<RouteDecision, { outcome: 'routed' }>, origin: DecisionOrigin): void {
    const primary = decision.assignments[0];
    this.routed.inc({
      department: primary?.departmentId ?? 'none',
      district: primary?.districtCode ?? 'none',
      cross_district: String(decision.crossDistrict),
      origin,
    });
  }
}
