import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { Clock } from '@tongban/runtime';
import { CaseRouter } from './case-router.service';
import type { RouteDecision } from './route-decision';
import { RoutingMetrics } from './routing-metrics';

@Controller()
export class RoutingConsumer {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly router: CaseRouter,
    private readonly metrics: RoutingMetrics,
    private readonly clock: Clock,
  ) {}

  @EventPattern(TOPICS.caseSubmitted)
  onCaseSubmitted(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'routing.case-submitted', type: TOPICS.caseSubmitted },
      async (event, unit) => {
        const decision = await this.router.routeSubmitted(event, unit);
        // Counted once the decision has committed; a retried attempt that rolled back is not.
        if (decision) unit.afterCommit(() => this.count(decision, event.occurredAt));
      },
    );
  }

  @EventPattern(TOPICS.caseDecided)
  onCaseDecided(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'routing.case-decided', type: TOPICS.caseDecided },
      (event, unit) => this.router.markDecided(event, unit),
    );
  }

  private count(decision: RouteDecision, submittedAt: string): void {
    this.metrics.latency.observe(Math.max(0, (this.clock.now().getTime() - Date.parse(submittedAt)) / 1000));
    if (decision.outcome === 'unroutable') {
      this.metrics.unroutable.inc({ reason: decision.reason });
      return;
    }
    this.metrics.countRouted(decision, 'rules');
  }
}
