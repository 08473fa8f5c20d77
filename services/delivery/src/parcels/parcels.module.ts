import { type DynamicModule, Module } from '@nestjs/common';
import { createPiiCipher, PiiCipher } from '@tongban/pii';
import { type DeliveryConfig, DELIVERY_SETTINGS, deliverySettings } from '../config/delivery-config';
import { CaseDecidedConsumer } from '../decisions/case-decided.consumer';
import { CaseRongqueConsumer } from '../decisions/case-rongque.consumer';
import { ParcelCreation } from '../decisions/parcel-creation.service';
import { CourierController } from './courier.controller';
import { DeliveryMetrics } from './delivery-metrics';
import { OfficeController } from './office.controller';
import { ParcelLedger } from './parcel-ledger.service';
import { ParcelOperations } from './parcel-operations.service';
import { ParcelQueries } from './parcel-queries.service';
import { ParcelStore } from './parcel-store';
import { PickupCodes } from './pickup-codes.service';

@Module({})
export class ParcelsModule {
  static forRoot(config: DeliveryConfig): DynamicModule {
    return {
      module: ParcelsModule,
      controllers: [CaseDecidedConsumer, CaseRongqueConsumer, CourierController, OfficeController],
      providers: [
        { provide: PiiCipher, useFactory: () => createPiiCipher(config) },
        { provide: DELIVERY_SETTINGS, useValue: deliverySettings(config) },
        ParcelStore,
        DeliveryMetrics,
        PickupCodes,
        ParcelLedger,
        ParcelCreation,
        ParcelOperations,
        ParcelQueries,
      ],
    };
  }
}
