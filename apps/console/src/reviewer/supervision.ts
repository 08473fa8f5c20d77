import { type WorkItem } from '../api/types';
import { COLOURS } from '../common/colours';

export type Supervision = 'escalated' | 'overdue' | 'warning' | 'paused' | 'onTime';

/**
 * 电子监察 light of an item: escalated (督办) above overdue above warning; a paused clock (waiting
 * for the applicant's supplement) is not the department's delay.
 */
export function supervisionOf(item: Pick<WorkItem, 'escalatedAt' | 'clock'>): Supervision {
  if (item.escalatedAt) return 'escalated';
  if (item.clock.paused) return 'paused';
  if (item.clock.overdue) return 'overdue';
  if (item.clock.dueSoon) return 'warning';
  return 'onTime';
}

/** 电子监察 lights: green on time, amber warning, red overdue, purple escalated (督办). */
export const SUPERVISION_COLOURS: Record<Supervision, string> = {
  onTime: COLOURS.green,
  warning: COLOURS.gold,
  overdue: COLOURS.red,
  escalated: COLOURS.purple,
  paused: 'default',
};
