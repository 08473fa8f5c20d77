import { postgresDataSourceOptions } from '@tongban/database';
import { PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from '@tongban/runtime';
import type { DataSourceOptions } from 'typeorm';
import type { IntakeConfig } from '../config/intake-config';
import { CreateCases1764400000000 } from './migrations/1764400000000-create-cases';
import { AddCaseSlaClock1764800000000 } from './migrations/1764800000000-add-case-sla-clock';
import { AddRongqueExpiry1764919000000 } from './migrations/1764919000000-add-rongque-expiry';
import { AddPromisedLimit1764919000001 } from './migrations/1764919000001-add-promised-limit';
import { AddCaseAssistance1764919000002 } from './migrations/1764919000002-add-case-assistance';

export function intakeDataSourceOptions(
  config: Pick<IntakeConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-intake',
    entities: [...PLATFORM_ENTITIES],
    migrations: [
      ...PLATFORM_MIGRATIONS,
      CreateCases1764400000000,
      AddCaseSlaClock1764800000000,
      AddRongqueExpiry1764919000000,
      AddPromisedLimit1764919000001,
      AddCaseAssistance1764919000002,
    ],
  });
}
