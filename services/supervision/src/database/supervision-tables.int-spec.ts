import { migratedSchemaDrift } from '@tongban/service-testing';
import { supervisionDataSourceOptions } from './supervision-data-source';
import { SUPERVISION_TABLES } from './supervision-tables';

describe('supervision tables: the declared row types match the migrations', () => {
  it('finds every declared column with its type family and nullability, and no undeclared one', async () => {
    const options = (url: string) =>
      supervisionDataSourceOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
    expect(await migratedSchemaDrift('supervision', options, SUPERVISION_TABLES)).toEqual([]);
  });
});
