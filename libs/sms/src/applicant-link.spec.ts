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
});
