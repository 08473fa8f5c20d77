// The answers of the services' public APIs, as far as the console reads them (see each
// service's README); fields the console does not show are left out.

export interface CatalogueMaterial {
  readonly code: string;
  readonly name: string;
  readonly critical: boolean;
}

export interface CatalogueItem {
  readonly code: string;
  readonly name: string;
  readonly category?: string;
  readonly applicantKinds: readonly ('person' | 'company')[];
  readonly materials: readonly CatalogueMaterial[];
  readonly rongque?: {
    readonly allowed: boolean;
    readonly materials?: readonly string[];
    readonly supplementDays?: number;
  };
  readonly deliveryMethods: readonly DeliveryMethod[];
  readonly autoApproval?: { readonly eligible: boolean };
  readonly timeLimits: { readonly legalDays: number; readonly promisedDays: number };
}

export interface Office {
  readonly id: string;
  readonly name: string;
  readonly district: string;
  readonly type: string;
  readonly pickupWindow: boolean;
}

export interface Department {
  readonly id: string;
  readonly name: string;
}

export interface District {
  readonly code: string;
  readonly name: string;
}

export interface Catalogue {
  readonly items: readonly CatalogueItem[];
  readonly offices: readonly Office[];
  readonly departments: readonly Department[];
  readonly districts: readonly District[];
}

export type DeliveryMethod = 'pickup' | 'courier' | 'post';

export interface Material {
  readonly code: string;
  readonly name: string;
  readonly fileRef?: string;
}

export interface CaseView {
  readonly caseId: string;
  readonly receiptNumber: string;
  readonly itemCode: string;
  readonly officeId: string;
  readonly status: string;
  readonly submittedAt: string;
  readonly supplementDueAt: string | null;
  readonly slaDueAt: string | null;
  readonly applicant: Record<string, string | undefined>;
  readonly materials: readonly Material[];
  readonly missingMaterials: readonly { readonly code: string; readonly name?: string }[];
  readonly delivery: {
    readonly method: DeliveryMethod;
    readonly officeId?: string;
    readonly address?: Record<string, string>;
  };
}

export interface TimelineStage {
  readonly stage: string;
  readonly at: string;
  readonly officeId: string | null;
  readonly departmentId: string | null;
  readonly actorRole: string | null;
  readonly detail: Record<string, unknown>;
}

export interface Timeline {
  readonly status: string;
  readonly slaDueAt: string | null;
  readonly stages: readonly TimelineStage[];
}

export interface SupplementItem {
  readonly materialCode: string;
  readonly materialName?: string;
  readonly reason: string;
}

export interface WorkItem {
  readonly id: string;
  readonly caseId: string;
  readonly receiptNumber: string;
  readonly itemCode: string;
  readonly itemName: string | null;
  readonly departmentId: string;
  readonly role: 'primary' | 'parallel';
  readonly state: string;
  readonly claimedBy: string | null;
  readonly dueAt: string;
  readonly clock: { readonly paused: boolean; readonly dueSoon: boolean; readonly overdue: boolean };
  readonly escalatedAt: string | null;
  readonly supplementRound: number | null;
  readonly decision: {
    readonly outcome: string;
    readonly reasonCode: string | null;
    readonly reasonText: string | null;
    readonly document: { readonly number: string } | null;
  } | null;
  readonly autoChecks:
    readonly { readonly check: string; readonly label?: string; readonly passed: boolean }[] | null;
}

export interface WorkItemDetail extends WorkItem {
  readonly case: {
    readonly acceptingOfficeId: string;
    readonly applicant: Record<string, string | undefined>;
    readonly materials: readonly Material[];
    readonly missingMaterials: readonly { readonly code: string; readonly name?: string }[];
    readonly delivery: DeliveryMethod;
  };
  readonly supplementRequests: readonly {
    readonly requestId: string;
    readonly round: number;
    readonly departmentId: string;
    readonly items: readonly SupplementItem[];
    readonly requestedAt: string;
    readonly answeredAt: string | null;
  }[];
}

export interface Parcel {
  readonly parcelId: string;
  readonly caseId: string;
  readonly trackingNumber: string;
  readonly kind: string;
  readonly receiptNumber: string;
  readonly itemCode: string;
  readonly documentNumber: string | null;
  readonly method: DeliveryMethod;
  readonly state: string;
  readonly officeId: string;
  readonly courierId: string | null;
  readonly address: {
    readonly districtCode?: string;
    readonly street?: string;
    readonly detail?: string;
  } | null;
  readonly recipient: { readonly name: string; readonly phoneMasked: string; readonly phone?: string };
  readonly attempts: number;
  readonly failureReason: string | null;
  readonly nextAttemptAt: string | null;
}

export interface TriageEntry {
  readonly caseId: string;
  readonly itemCode: string;
  readonly officeId: string;
  readonly reason: string;
  readonly queuedAt: string;
}

export interface DeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key?: string | null;
  readonly failure?: Record<string, unknown>;
  readonly [field: string]: unknown;
}

export interface Tracking {
  readonly receiptNumber: string;
  readonly itemCode: string;
  readonly status: string;
  readonly submittedAt: string;
  readonly dueAt: string | null;
  readonly delivery: DeliveryMethod;
  readonly stages: readonly { readonly stage: string; readonly at: string }[];
}
