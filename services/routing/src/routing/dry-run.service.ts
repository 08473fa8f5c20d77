import { Injectable } from '@nestjs/common';
import { ReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { DataSource } from 'typeorm';
import { RuleCache } from '../rules/rule-cache.service';
import { decideRoute } from './route-decision';
import type { DryRunDto } from './routing-requests.dto';

/** "Where would this case go": the same decision the consumer makes, stored nowhere. */
@Injectable()
export class DryRun {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RuleCache,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
  ) {}

  async run(dto: DryRunDto) {
    const now = this.clock.now();
    const rules = await this.rules.rulesFor(this.dataSource.manager);
    const decision = decideRoute(
      {
        itemCode: dto.itemCode,
        officeId: dto.officeId,
        applicant: dto.applicant,
        acceptedAt: dto.acceptedAt ? new Date(dto.acceptedAt) : now,
      },
      rules,
      this.reference,
      dto.rulesAt ? new Date(dto.rulesAt) : now,
    );
    return decision.outcome === 'routed'
      ? { ...decision, slaDueAt: decision.slaDueAt.toISOString() }
      : decision;
  }
}
