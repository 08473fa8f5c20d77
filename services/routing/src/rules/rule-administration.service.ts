import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { type Actor, AuditTrail, eventActor } from '@tongban/auth';
import { ReferenceData } from '@tongban/reference-data';
import { Clock, invalidRequest } from '@tongban/runtime';
import { DataSource } from 'typeorm';
import { RuleCache } from './rule-cache.service';
import { checkDraftAgainstReference } from './rule-draft-check';
import { isInForce, planVersion, ruleIdFor, type RuleDraft } from './routing-rule';
import { bumpRevision, closeVersion, insertVersion, lockRules, readHistory, readRuleSet } from './rule-store';
import type { AddRuleVersionDto, ListRulesDto } from './rule-version.dto';

/** Lists, explains and changes routing rules; every change is a new version, audited. */
@Injectable()
export class RuleAdministration {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: RuleCache,
    private readonly audit: AuditTrail,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
  ) {}

  /** Each rule with the version in force at `at` (none when it has lapsed) and its latest. */
  async list(query: ListRulesDto) {
    const at = query.at ? new Date(query.at) : this.clock.now();
    const rules = await this.cache.rulesFor(this.dataSource.manager);
    const ids = [...new Set(rules.versions.map((rule) => rule.ruleId))].sort();
    return {
      at: at.toISOString(),
      revision: rules.revision,
      rules: ids.flatMap((ruleId) => {
        const history = rules.history(ruleId);
        const [first] = history;
        if (!first || (query.itemCode !== undefined && first.itemCode !== query.itemCode)) return [];
        return [
          {
            ruleId,
            itemCode: first.itemCode,
            region: first.region,
            inForce: history.find((rule) => isInForce(rule, at)) ?? null,
            latestVersion: Math.max(...history.map((rule) => rule.version)),
          },
        ];
      }),
    };
  }

  async history(ruleId: string) {
    const versions = await readHistory(this.dataSource.manager, ruleId);
    const [first] = versions;
    if (!first) throw new NotFoundException(`no routing rule ${ruleId}`);
    return { ruleId, itemCode: first.itemCode, region: first.region, versions };
  }

  async addVersion(actor: Actor, dto: AddRuleVersionDto) {
    const now = this.clock.now();
    const draft: RuleDraft = {
      itemCode: dto.itemCode,
      region: dto.region ?? null,
      effectiveFrom: dto.effectiveFrom ? new Date(dto.effectiveFrom) : now,
      effectiveTo: dto.effectiveTo ? new Date(dto.effectiveTo) : null,
      basis: dto.basis ?? null,
      departmentType: dto.departmentType ?? null,
      departmentId: dto.departmentId ?? null,
      parallelDepartmentTypes: dto.parallelDepartmentTypes ?? (dto.region ? null : []),
      note: dto.note,
    };
    const problems = checkDraftAgainstReference(draft, this.reference);
    if (problems.length > 0) throw invalidRequest(problems);
    const ruleId = ruleIdFor(draft.itemCode, draft.region);

    const { version, revision } = await this.dataSource.transaction(async (manager) => {
      await lockRules(manager);
      const stored = await readRuleSet(manager);
      const history = stored.history(ruleId);
      if (draft.region !== null && stored.history(draft.itemCode).length === 0) {
        throw invalidRequest([
          { field: 'region', reason: `${draft.itemCode} has no default rule to override` },
        ]);
      }
      const planned = planVersion(history, draft, now);
      if (!planned.ok) {
        const { problem } = planned;
        if (problem.kind === 'invalid')
          throw invalidRequest([{ field: problem.field, reason: problem.reason }]);
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: problem.reason,
          issues: [{ field: problem.field, reason: problem.reason }],
          conflictingVersion: problem.version,
        });
      }
      const { version: added, closes } = planned.plan;
      // Closed first: the exclusion constraint checks each statement, not the transaction.
      if (closes) await closeVersion(manager, closes, added);
      await insertVersion(manager, added, eventActor(actor));
      const committedRevision = await bumpRevision(manager);
      await this.audit.record(manager, {
        actor,
        action: 'routing-rule.add-version',
        objectType: 'routing-rule',
        objectId: `${added.ruleId}#${added.version}`,
        result: 'succeeded',
        detail: {
          effectiveFrom: added.effectiveFrom.toISOString(),
          effectiveTo: added.effectiveTo?.toISOString() ?? null,
          closesVersion: closes?.version ?? null,
          note: added.note,
        },
      });
      return { version: added, revision: committedRevision };
    });
    await this.cache.changed(revision);
    return (await this.history(version.ruleId)).versions.find((v) => v.version === version.version);
  }
}
