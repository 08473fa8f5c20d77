import { migratedSchemaDrift } from '@tongban/service-testing';
import { intakeDataSourceOptions } from './intake-data-source';
import { INTAKE_TABLES } from './intake-tables';

describe('intake tables: the declared row types match the migrations', () => {
  it('finds every declared column with its type family and nullability, and no undeclared one', async () => {
    const options = (url: string) => intakeDataSourceOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
    expect(await migratedSchemaDrift('intake', options, INTAKE_TABLES)).toEqual([]);
  });
});
