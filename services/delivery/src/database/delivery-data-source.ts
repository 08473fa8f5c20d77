import { postgresDataSourceOptions } from '@tongban/database';
import { PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from '@tongban/runtime';
import type { DataSourceOptions } from 'typeorm';
import type { DeliveryConfig } from '../config/delivery-config';
import { CreateParcels1764700000000 } from './migrations/1764700000000-create-parcels';
import { PickupCodesTravelSealed1764900000000 } from './migrations/1764900000000-pickup-codes-travel-sealed';
import { AddRongqueOutstanding1764919000010 } from './migrations/1764919000010-add-rongque-outstanding';
import { AddParcelAgent1764919000011 } from './migrations/1764919000011-add-parcel-agent';
import { AddParcelDocuments1764919000012 } from './migrations/1764919000012-add-parcel-documents';

export function deliveryDataSourceOptions(
  config: Pick<DeliveryConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-delivery',
    entities: [...PLATFORM_ENTITIES],
    migrations: [
      ...PLATFORM_MIGRATIONS,
      CreateParcels1764700000000,
      PickupCodesTravelSealed1764900000000,
      AddRongqueOutstanding1764919000010,
      AddParcelAgent1764919000011,
      AddParcelDocuments1764919000012,
    ],
  });
}
