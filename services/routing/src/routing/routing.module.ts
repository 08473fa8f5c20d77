import { Module } from '@nestjs/common';
import { RuleAdministration } from '../rules/rule-administration.service';
import { RuleCache } from '../rules/rule-cache.service';
import { RulesController } from '../rules/rules.controller';
import { CaseRouter } from './case-router.service';
import { DryRun } from './dry-run.service';
import { ManualRouting } from './manual-routing.service';
import { RoutingController } from './routing.controller';
import { RoutingConsumer } from './routing.consumer';
import { RoutingMetrics } from './routing-metrics';
import { RoutingStore } from './routing-store';

@Module({
  controllers: [RoutingConsumer, RoutingController, RulesController],
  providers: [RoutingStore, RoutingMetrics, RuleCache, RuleAdministration, CaseRouter, DryRun, ManualRouting],
})
export class RoutingModule {}
