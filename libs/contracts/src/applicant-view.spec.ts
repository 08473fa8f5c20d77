import { readFileSync } from 'node:fs';
import path from 'node:path';
import { maskedApplicant } from './applicant-view';
import { parseEventOf } from './event-registry';

describe('maskedApplicant', () => {
  const submitted = parseEventOf(
    'case.submitted',
    JSON.parse(readFileSync(path.join(__dirname, '../fixtures/v1/case.submitted.json'), 'utf8')),
  );

  it('shows masks and never a ciphertext or lookup hash', () => {
    const view = maskedApplicant(submitted.payload.applicant);
    expect(view).toMatchObject({ kind: 'person', idNumber: '440306********002X', phone: '138****0000' });
    const text = JSON.stringify(view);
    const { idNumber, phone } = submitted.payload.applicant as {
      idNumber: { ciphertext: string; hash: string };
      phone: { hash: string };
    };
    for (const secret of [idNumber.ciphertext, idNumber.hash, phone.hash]) expect(text).not.toContain(secret);
  });
});
