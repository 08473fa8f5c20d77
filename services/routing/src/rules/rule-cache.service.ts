import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectRedis } from '@tongban/database';
import { ReferenceData } from '@tongban/reference-data';
import type Redis from 'ioredis';
import { DataSource, type EntityManager } from 'typeorm';
import { RoutingMetrics } from '../routing/routing-metrics';
import { ruleIdFor, type RuleSet } from './routing-rule';
import { seedDrafts } from './rule-seed';
import { bumpRevision, insertMissingRules, lockRules, readRevision, readRuleSet } from './rule-store';

export const RULES_CHANGED_CHANNEL = 'tongban:routing:rules-changed';

type ReloadTrigger = 'start' | 'notice' | 'revision' | 'own_change';

/**
 * The rules every routing uses, held in memory. Postgres is the source of truth: each routing
 * transaction compares the stored revision with the cached one and reloads when they differ, so
 * a decision never uses rules older than those committed before it began. A change also
 * announces its revision on Redis so idle instances reload before their next case; while Redis
 * is down nothing is lost but that head start.
 */
@Injectable()
export class RuleCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RuleCache.name);
  private current: RuleSet | undefined;
  private started: Promise<void> | undefined;
  private subscriber: Redis | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly metrics: RoutingMetrics,
    private readonly reference: ReferenceData,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ready();
    this.subscriber = this.redis.duplicate({ lazyConnect: true });
    this.subscriber.on('message', (_channel: string, message: string) => this.onNotice(message));
    // ioredis resubscribes by itself after a reconnect; until then the revision check covers it.
    this.subscriber.on('error', (error: Error) => this.logger.warn(`rule-change notices: ${error.message}`));
    this.subscriber.subscribe(RULES_CHANGED_CHANNEL).catch((error: unknown) => {
      this.logger.warn(`cannot subscribe to rule-change notices yet: ${String(error)}`);
    });
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  /** Seeds the catalogue's rules once and loads them; every entry point waits for it. */
  ready(): Promise<void> {
    this.started ??= this.seedAndLoad().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }

  /** The rules as of the caller's transaction. */
  async rulesFor(manager: EntityManager): Promise<RuleSet> {
    await this.ready();
    const revision = await readRevision(manager);
    if (this.current?.revision === revision) return this.current;
    return this.install(await readRuleSet(manager), 'revision');
  }

  /** After a change commits: reload here and tell the other instances. */
  async changed(revision: number): Promise<void> {
    await this.dataSource
      .transaction((manager) => readRuleSet(manager))
      .then((rules) => this.install(rules, 'own_change'));
    await this.redis.publish(RULES_CHANGED_CHANNEL, String(revision)).catch((error: unknown) => {
      this.logger.warn(
        `rule change ${revision} not announced on Redis (others reload on their next case): ${String(error)}`,
      );
    });
  }

  private onNotice(message: string): void {
    const revision = Number(message);
    if (!Number.isFinite(revision) || (this.current && this.current.revision >= revision)) return;
    readRuleSet(this.dataSource.manager)
      .then((rules) => this.install(rules, 'notice'))
      .catch((error: unknown) => {
        // The last good rules stay in use; the next routing transaction retries the reload.
        this.logger.error(`reload after rule change ${revision} failed: ${String(error)}`);
      });
  }

  private async seedAndLoad(): Promise<void> {
    const drafts = seedDrafts(this.reference).map((draft) => ({
      ...draft,
      ruleId: ruleIdFor(draft.itemCode, draft.region),
    }));
    const added = await this.dataSource.transaction(async (manager) => {
      await lockRules(manager);
      const count = await insertMissingRules(manager, drafts, { sub: 'system:rule-seed', role: 'system' });
      if (count > 0) await bumpRevision(manager);
      return count;
    });
    if (added > 0) this.logger.log(`seeded ${added} routing rules from ${this.reference.versionLabel()}`);
    this.install(await readRuleSet(this.dataSource.manager), 'start');
  }

  private install(rules: RuleSet, trigger: ReloadTrigger): RuleSet {
    // Never step back: a slow reload must not replace rules that a faster one already installed.
    if (!this.current || rules.revision >= this.current.revision) {
      this.current = rules;
      this.metrics.ruleReloads.inc({ trigger });
      this.metrics.rulesRevision.set(rules.revision);
    }
    return rules;
  }
}
