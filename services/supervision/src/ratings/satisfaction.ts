import {
  RATING_STAGES,
  type RatingStage,
  SATISFACTION_LEVELS,
  type SatisfactionLevel,
} from '@tongban/contracts';

export const LEVEL_LABELS: Readonly<Record<SatisfactionLevel, string>> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};

/** 差评: the two levels that open a rectification. */
export function isBadRating(level: SatisfactionLevel): boolean {
  return level === 'dissatisfied' || level === 'very_dissatisfied';
}

/** 满意 in the figures: the three upper levels, as the national scheme counts satisfaction. */
export function isSatisfied(level: SatisfactionLevel): boolean {
  return !isBadRating(level);
}

/** Intake's 1–5 score (5 best) as a level: 5 非常满意 … 1 非常不满意. */
export function levelOfScore(score: number): SatisfactionLevel {
  const level = SATISFACTION_LEVELS[5 - Math.round(score)];
  if (!level) throw new RangeError(`a score is 1 to 5, not ${score}`);
  return level;
}

export { RATING_STAGES, SATISFACTION_LEVELS, type RatingStage, type SatisfactionLevel };
