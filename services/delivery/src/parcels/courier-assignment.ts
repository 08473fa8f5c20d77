import type { Courier } from '@tongban/reference-data';
import type { FieldIssue } from '@tongban/runtime';

/**
 * Whether a dispatch desk may hand a parcel to this courier: one in the registry (offices.json
 * `couriers`), active, serving the desk's district. A parcel assigned to nobody real would sit
 * in `ready_for_dispatch` with no one able to pick it up.
 */
export function courierAssignmentIssues(
  courierId: string,
  courier: Courier | undefined,
  officeDistrict: string | undefined,
): FieldIssue[] {
  if (!courier) return [{ field: 'courierId', reason: `no courier "${courierId}" in the courier registry` }];
  if (!courier.active) return [{ field: 'courierId', reason: `courier ${courierId} is inactive` }];
  if (officeDistrict === undefined || !courier.districts.includes(officeDistrict))
    return [
      { field: 'courierId', reason: `courier ${courierId} does not serve district ${officeDistrict ?? '?'}` },
    ];
  return [];
}
