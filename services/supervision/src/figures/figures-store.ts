import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, actorScope } from '@tongban/auth';
import { query } from '@tongban/database';
import type { DataSource } from 'typeorm';
import type { CaseCounts, FigureDimension, RatingCounts } from './figures';

/** Each dimension's column in case_facts (the cases) and in ratings (the ratings). */
/** `all`: one row for everything in scope, the reports' totals. */
export type FigureGrouping = FigureDimension | 'all';

const CASE_KEY: Readonly<Record<FigureGrouping, string>> = {
  all: "'all'::text",
  office: 'f.accepting_office_id',
  department: 'COALESCE(f.decision_department_id, f.department_id)',
  item: 'f.item_code',
  staff: 'f.accepted_by',
  district: 'f.accepting_district',
};
const RATING_KEY: Readonly<Record<FigureGrouping, string>> = {
  all: "'all'::text",
  office: 'r.office_id',
  department: 'r.department_id',
  item: 'r.item_code',
  staff: 'r.staff_sub',
  district: 'r.district',
};

/** The caller's scope over the cases and the ratings ($3 when scoped). */
function scopeOf(actor: Actor): { cases: string; ratings: string; params: unknown[] } {
  const scope = actorScope(actor);
  if (scope.officeId !== undefined)
    return { cases: 'f.accepting_office_id = $3', ratings: 'r.office_id = $3', params: [scope.officeId] };
  if (scope.departmentId !== undefined)
    return {
      cases: 'COALESCE(f.decision_department_id, f.department_id) = $3',
      ratings: 'r.department_id = $3',
      params: [scope.departmentId],
    };
  if (scope.courierId !== undefined) return { cases: 'FALSE', ratings: 'FALSE', params: [] };
  return { cases: 'TRUE', ratings: 'TRUE', params: [] };
}

/**
 * The service-quality aggregates, computed from the projection in PostgreSQL: the cases accepted
 * in the period (their outcome as known now) and the ratings given in it.
 */
@Injectable()
export class FiguresStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  caseCounts(actor: Actor, dimension: FigureGrouping, start: Date, end: Date): Promise<CaseCounts[]> {
    const scope = scopeOf(actor);
    const key = CASE_KEY[dimension];
    return query<CaseCounts>(
      this.dataSource,
      `SELECT ${key} AS key,
              count(*)::int AS accepted,
              count(f.decided_at)::int AS decided,
              count(*) FILTER (WHERE f.decided_at <= f.legal_due_at)::int AS on_time_legal,
              count(*) FILTER (WHERE f.decided_at IS NOT NULL AND f.promised_due_at IS NOT NULL)::int AS with_promise,
              count(*) FILTER (WHERE f.decided_at <= f.promised_due_at)::int AS on_time_promised,
              count(*) FILTER (WHERE f.decision_working_days = 0)::int AS instant,
              avg(f.decision_working_days)::float8 AS avg_working_days,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY f.decision_working_days)::float8 AS p90_working_days,
              COALESCE(sum(f.supplement_rounds), 0)::int AS supplement_rounds,
              count(*) FILTER (WHERE f.rongque)::int AS rongque,
              count(*) FILTER (WHERE f.rongque AND f.rongque_completed_at IS NOT NULL)::int AS rongque_completed,
              count(f.cross_district)::int AS routed,
              count(*) FILTER (WHERE f.cross_district)::int AS cross_district
         FROM case_facts f
        WHERE f.accepted_at >= $1 AND f.accepted_at < $2 AND ${key} IS NOT NULL
          AND ${scope.cases}
        GROUP BY 1 ORDER BY 1`,
      [start, end, ...scope.params],
    );
  }

  ratingCounts(actor: Actor, dimension: FigureGrouping, start: Date, end: Date): Promise<RatingCounts[]> {
    const scope = scopeOf(actor);
    const key = RATING_KEY[dimension];
    return query<RatingCounts>(
      this.dataSource,
      `SELECT ${key} AS key,
              count(*) FILTER (WHERE r.withdrawn_at IS NULL)::int AS ratings,
              count(*) FILTER (WHERE r.withdrawn_at IS NULL
                AND r.level IN ('very_satisfied', 'satisfied', 'basically_satisfied'))::int AS satisfied,
              count(*) FILTER (WHERE r.withdrawn_at IS NULL AND x.id IS NOT NULL)::int AS bad,
              count(*) FILTER (WHERE r.withdrawn_at IS NULL AND x.visited_at IS NOT NULL)::int AS visited,
              count(*) FILTER (WHERE x.state = 'rectified')::int AS rectified,
              count(*) FILTER (WHERE x.state = 'rectified' AND x.rectified_at <= x.due_at)::int AS rectified_on_time,
              count(*) FILTER (WHERE x.state = 'explained')::int AS explained,
              count(*) FILTER (WHERE r.withdrawn_at IS NOT NULL)::int AS withdrawn,
              count(*) FILTER (WHERE x.closed_at IS NULL AND x.id IS NOT NULL)::int AS open
         FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id
        WHERE r.rated_at >= $1 AND r.rated_at < $2 AND ${key} IS NOT NULL
          AND ${scope.ratings}
        GROUP BY 1 ORDER BY 1`,
      [start, end, ...scope.params],
    );
  }
}
