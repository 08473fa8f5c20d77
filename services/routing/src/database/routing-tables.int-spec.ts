import { migratedSchemaDrift } from '@tongban/service-testing';
import { ROUTING_CASE_TABLES } from '../routing/routing-tables';
import { RULE_TABLES } from '../rules/rule-tables';
import { routingDataSourceOptions } from './routing-data-source';

describe('routing tables: the declared row types match the migrations', () => {
  it('finds every declared column with its type family and nullability, and no undeclared one', async () => {
    const options = (url: string) => routingDataSourceOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
    expect(await migratedSchemaDrift('routing', options, [...RULE_TABLES, ...ROUTING_CASE_TABLES])).toEqual(
      [],
    );
  });
});
