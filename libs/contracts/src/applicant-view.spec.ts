import { readFileSync } from 'node:fs';
import path from 'node:path';
import { maskedApplicant, maskedAssistance } from './applicant-view';
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

describe('maskedAssistance', () => {
  const protectedValue = (masked: string) => ({ ciphertext: `c-${masked}`, hash: `h-${masked}`, masked });

  it('shows an agent by masks and relation, never a ciphertext or lookup hash', () => {
    const view = maskedAssistance({
      mode: 'agent',
      agentName: { ciphertext: 'c-name', masked: '李*' },
      relation: '配偶',
      agentIdNumber: protectedValue('440306********0012'),
      agentPhone: protectedValue('139****0001'),
    });
    expect(view).toEqual({
      mode: 'agent',
      agentName: '李*',
      relation: '配偶',
      agentIdNumber: '440306********0012',
      agentPhone: '139****0001',
    });
    expect(JSON.stringify(view)).not.toMatch(/c-|h-/);
  });

  it('shows null for an agent accepted before the ID number and phone were kept, and no agent otherwise', () => {
    expect(
      maskedAssistance({ mode: 'agent', agentName: { ciphertext: 'c', masked: '李*' }, relation: '子女' }),
    ).toMatchObject({ agentIdNumber: null, agentPhone: null });
    expect(maskedAssistance({ mode: 'self' })).toEqual({ mode: 'self' });
    expect(maskedAssistance(undefined)).toBeNull();
  });
});
