import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a link in a text message lets the applicant do without the receipt and phone ending. */
export const LINK_PURPOSES = ['rate'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

function mac(key: Buffer, purpose: LinkPurpose, caseId: string): Buffer {
  // A label of its own, so a link's MAC never equals a lookup hash made with the same key.
  return createHmac('sha256', key).update(`applicant-link:${purpose}:${caseId}`).digest().subarray(0, 16);
}

/**
 * A short token naming a case for one purpose, signed with HMAC-SHA256 (128 bits): short enough
 * for a text message, and nobody can make one for another case. The case id is not secret.
 */
export function signApplicantLink(key: Buffer, purpose: LinkPurpose, caseId: string): string {
  if (!UUID.test(caseId)) throw new TypeError('signApplicantLink expects a lower-case UUID');
  const id = Buffer.from(caseId.replaceAll('-', ''), 'hex').toString('base64url');
  return `${id}.${mac(key, purpose, caseId).toString('base64url')}`;
}

/** The case a token names, or null when it is malformed or was not signed with this key and purpose. */
export function verifyApplicantLink(key: Buffer, purpose: LinkPurpose, token: string): string | null {
  const [, id, signature] = TOKEN.exec(token) ?? [];
  if (id === undefined || signature === undefined) return null;
  // 22 base64url characters carry 16 bytes and 4 spare bits: only the one canonical spelling of a
  // token is accepted, so a link cannot be re-spelled into 16 "different" links.
  if (!isCanonical(id) || !isCanonical(signature)) return null;
  const hex = Buffer.from(id, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  const caseId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, purpose, caseId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? caseId : null;
}

function isCanonical(part: string): boolean {
  return Buffer.from(part, 'base64url').toString('base64url') === part;
}
