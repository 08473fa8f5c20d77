import { z } from 'zod';
import { decodeCursor, type PageCursor } from '../pagination/page-cursor';
import { unstorableTextReason } from './input-text';

/**
 * The building blocks of every request DTO. Each refuses what the database would choke on with a
 * 400 naming the field, so no malformed value reaches SQL (where it used to answer 500).
 */

// Business instants and dates live in this window: wide enough for any case, filter or rule,
// narrow enough that Postgres and JavaScript agree on every value (Postgres has no year 0).
export const EARLIEST_BUSINESS_INSTANT = new Date('1970-01-01T00:00:00Z');
export const LATEST_BUSINESS_INSTANT = new Date('2199-12-31T23:59:59.999Z');
const RANGE_REASON = 'must lie between 1970 and 2199';

const inBusinessRange = (at: Date) =>
  at.getTime() >= EARLIEST_BUSINESS_INSTANT.getTime() && at.getTime() <= LATEST_BUSINESS_INSTANT.getTime();

/** A string Postgres can store: no NUL, no unpaired surrogate. */
export const storableString = () =>
  z.string().superRefine((value, context) => {
    const reason = unstorableTextReason(value);
    if (reason) context.addIssue({ code: 'custom', message: reason });
  });

/** Trimmed free text of 1..max characters. */
export const text = (max: number) =>
  storableString().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** An identifier code (item, material, office, department): letters, digits, _ . - */
export const code = () =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'must be a code of letters, digits, _ . -');

/** An ISO-8601 instant with a time zone, in the business range, as the string given. */
export const instant = (message = 'must be an ISO-8601 date-time with a time zone') =>
  z.iso.datetime({ offset: true, message }).refine((value) => inBusinessRange(new Date(value)), RANGE_REASON);

/** A calendar date (YYYY-MM-DD) in the business range, as the string given. */
export const calendarDate = (message = 'must be a YYYY-MM-DD date') =>
  z.iso.date({ message }).refine((value) => inBusinessRange(new Date(`${value}T00:00:00Z`)), RANGE_REASON);

/** A page cursor this API handed out, decoded; anything else is refused. */
export const pageCursor = () =>
  z
    .string()
    .max(300, 'is not a cursor this API returned')
    .transform((value, context): PageCursor => {
      const cursor = decodeCursor(value);
      if (!cursor) {
        context.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
        return z.NEVER;
      }
      return cursor;
    });
