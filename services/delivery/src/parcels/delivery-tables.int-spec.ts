import { migratedSchemaDrift } from '@tongban/service-testing';
import { deliveryDataSourceOptions } from '../database/delivery-data-source';
import { DELIVERY_TABLES } from './delivery-tables';

describe('delivery tables: the declared row types match the migrations', () => {
  it('finds every declared column with its type family and nullability, and no undeclared one', async () => {
    const options = (url: string) => deliveryDataSourceOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
    expect(await migratedSchemaDrift('delivery', options, DELIVERY_TABLES)).toEqual([]);
  });
});
