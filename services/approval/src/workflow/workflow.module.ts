import { Module } from '@nestjs/common';
import { ApprovalMetrics } from '../metrics/approval-metrics';
import { ApprovalStore } from '../store/approval-store';
import { CaseWorkflow } from './case-workflow';
import { SlaClocks } from './sla-clocks';

/** The case engine the inbox, the reviewers' API and the SLA poller share. */
@Module({
  providers: [ApprovalStore, ApprovalMetrics, SlaClocks, CaseWorkflow],
  exports: [ApprovalStore, ApprovalMetrics, SlaClocks, CaseWorkflow],
})
export class WorkflowModule {}
