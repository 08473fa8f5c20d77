import { Inject, Injectable } from '@nestjs/common';
import type { EventOf } from '@tongban/contracts';
import {
  type NoticeFacts,
  type NoticePlan,
  planDecided,
  planDeliveryUpdated,
  planRongque,
  planSubmitted,
  planSupplementRequested,
} from './notice-plan';

export const NOTICE_FACTS = Symbol('NOTICE_FACTS');

/** The pure plans with the reference data and links of this deployment. */
@Injectable()
export class NoticePlanner {
  constructor(@Inject(NOTICE_FACTS) private readonly facts: NoticeFacts) {}

  submitted(event: EventOf<'case.submitted'>): NoticePlan {
    return planSubmitted(event, this.facts);
  }

  supplementRequested(event: EventOf<'case.supplement-requested'>): NoticePlan {
    return planSupplementRequested(event, this.facts);
  }

  decided(event: EventOf<'case.decided'>): NoticePlan {
    return planDecided(event, this.facts);
  }

  /** `itemCode` from the case's contact, for the materials' names (their codes without it). */
  rongque(event: EventOf<'case.rongque'>, itemCode: string | undefined): NoticePlan {
    return planRongque(event, this.facts, itemCode);
  }

  deliveryUpdated(event: EventOf<'delivery.updated'>): NoticePlan {
    return planDeliveryUpdated(event, this.facts);
  }
}
