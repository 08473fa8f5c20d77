import type { TimelineEntry } from './case-store';

export type DepartmentState = 'pending' | 'approved' | 'rejected';

/** One department's part of a case (N证联办: each parallel department's), as the office sees it. */
export interface DepartmentProgress {
  readonly departmentId: string;
  readonly role: 'primary' | 'parallel';
  readonly state: DepartmentState;
  readonly documentNumber: string | null;
}

interface RoutedDetail {
  readonly assignments?: readonly { departmentId: string; role: 'primary' | 'parallel' }[];
}

interface DecidedDetail {
  readonly departments?: readonly {
    departmentId: string;
    outcome: 'approved' | 'rejected';
    documentNumber?: string | null;
  }[];
}

/**
 * Each assigned department's progress, from the case's timeline: the departments of the latest
 * routing, pending until the decision lists their outcomes (with the document each issued).
 * Approval publishes the case's decision once every department decided, so until then each is
 * pending. Empty before the case is routed.
 */
export function departmentProgress(entries: readonly TimelineEntry[]): DepartmentProgress[] {
  let progress: DepartmentProgress[] = [];
  for (const entry of entries) {
    if (entry.stage === 'routed' || entry.stage === 're_routed') {
      const { assignments = [] } = entry.detail as RoutedDetail;
      progress = assignments.map((a) => ({
        departmentId: a.departmentId,
        role: a.role,
        state: 'pending',
        documentNumber: null,
      }));
    } else if (entry.stage === 'approved' || entry.stage === 'rejected') {
      const { departments = [] } = entry.detail as DecidedDetail;
      progress = progress.map((department) => {
        const decided = departments.find((d) => d.departmentId === department.departmentId);
        return decided
          ? { ...department, state: decided.outcome, documentNumber: decided.documentNumber ?? null }
          : department;
      });
    }
  }
  return progress;
}
