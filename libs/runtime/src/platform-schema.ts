import { AuditEntryEntity, CreateAuditLog1764300000000 } from '@tongban/auth';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@tongban/messaging';

/** The platform tables every service database has: inbox, outbox and audit log. */
export const PLATFORM_ENTITIES = [...MESSAGING_ENTITIES, AuditEntryEntity];
export const PLATFORM_MIGRATIONS = [...MESSAGING_MIGRATIONS, CreateAuditLog1764300000000];
