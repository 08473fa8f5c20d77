import { randomBytes, randomUUID } from 'node:crypto';
import { signApplicantLink, verifyApplicantLink } from './applicant-link';

describe('applicant links', () => {
  const key = randomBytes(32);

  it('names the case it was signed for, in 45 characters', () => {
    const caseId = randomUUID();
    const token = signApplicantLink(key, 'rate', caseId);
    expect(token).toHaveLength(45);
    expect(verifyApplicantLink(key, 'rate', token)).toBe(caseId);
  });

  it('refuses a token signed with another key, for another case, or altered', () => {
    const caseId = randomUUID();
    const token = signApplicantLink(key, 'rate', caseId);
    expect(verifyApplicantLink(randomBytes(32), 'rate', token)).toBeNull();
    const other = signApplicantLink(key, 'rate', randomUUID());
    expect(verifyApplicantLink(key, 'rate', `${token.split('.')[0]}.${other.split('.')[1]}`)).toBeNull();
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(verifyApplicantLink(key, 'rate', flipped)).toBeNull();
    expect(verifyApplicantLink(key, 'rate', 'not-a-token')).toBeNull();
  });

  it('accepts only the canonical spelling: the spare bits of the last character must be zero', () => {
    const caseId = randomUUID();
    const token = signApplicantLink(key, 'rate', caseId);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1)!);
    // The same 16 bytes, spelled with one of the 4 spare bits set.
    const respelled = token.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(respelled.split('.')[1]!, 'base64url')).toEqual(
      Buffer.from(token.split('.')[1]!, 'base64url'),
    );
    expect(verifyApplicantLink(key, 'rate', respelled)).toBeNull();
    expect(verifyApplicantLink(key, 'rate', token)).toBe(caseId);
  });
});
