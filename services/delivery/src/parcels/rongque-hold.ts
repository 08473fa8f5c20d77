import type { ServiceItem } from '@tongban/reference-data';
import type { ParcelKind } from './parcel-plan';

/**
 * Whether a parcel's result may not leave custody yet: the item holds its result until the 容缺
 * materials are in (`rongque.holdResultUntilComplete`, e.g. no 社保卡 without the photo) and some
 * are still outstanding. A rejection notice is never held.
 */
export function heldForRongque(
  item: Pick<ServiceItem, 'rongque'> | undefined,
  kind: ParcelKind,
  outstanding: readonly string[],
): boolean {
  return (
    kind === 'result' &&
    item?.rongque.allowed === true &&
    item.rongque.holdResultUntilComplete === true &&
    outstanding.length > 0
  );
}
