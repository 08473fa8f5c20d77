import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DELIVERY_STATES, type EventType, parseEventOf, TOPICS } from '@tongban/contracts';
import { sampleEvent } from '@tongban/testing';
import { project } from './timeline.projection';

describe('timeline projection', () => {
  it.each(Object.values(TOPICS))('turns %s into a timeline entry', (type: EventType) => {
    const { entry } = project(sampleEvent(type));
    expect(entry.stage).toMatch(/^[a-z_]+$/);
    expect(JSON.stringify(entry.detail)).not.toMatch(/ciphertext|"hash"/);
  });

  it('moves the status along the case life cycle', () => {
    expect(project(sampleEvent('case.submitted')).status).toBe('submitted');
    expect(project(sampleEvent('case.routed')).status).toBe('routed');
    expect(project(sampleEvent('case.unroutable')).status).toBe('unroutable');
    expect(project(sampleEvent('case.supplement-requested')).status).toBe('supplement_requested');
    expect(project(sampleEvent('case.supplemented')).status).toBe('routed');
    expect(project(sampleEvent('case.decided')).status).toBe('approved');
    expect(project(sampleEvent('case.sla')).status).toBeUndefined();
    expect(project(sampleEvent('case.rated')).status).toBeUndefined();
  });

  it('shows a 容缺 hand-in and an expiry without changing the status', () => {
    const handedIn = project(sampleEvent('case.rongque'));
    expect(handedIn).toEqual({
      entry: {
        stage: 'rongque_handed_in',
        officeId: '440306001',
        actorRole: 'office_staff',
        detail: { materials: ['bank_account'], outstanding: [], dueAt: '2026-12-01T10:00:00.000Z' },
      },
    });
    const expired = project(
      sampleEvent('case.rongque', {
        payload: { kind: 'expired', materials: [], outstanding: ['photo'], by: undefined },
      }),
    );
    expect(expired.entry).toMatchObject({ stage: 'rongque_expired', actorRole: 'system' });
    expect(expired.status).toBeUndefined();
  });

  it('marks a re-route and carries the SLA due date', () => {
    const rerouted = sampleEvent('case.routed', {
      payload: { supersedesRoutingId: '00000000-0000-4000-8000-0000000000b2' },
    });
    const projection = project(rerouted);
    expect(projection.entry.stage).toBe('re_routed');
    expect(projection.sla).toEqual({ dueAt: rerouted.payload.slaDueAt, paused: false });
  });

  it('records a reissued pickup code as such, not as the parcel reaching its state again', () => {
    const fixture = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '../../../../libs/contracts/fixtures/v2/delivery.updated.json'),
        'utf8',
      ),
    ) as { payload: Record<string, unknown> };
    const arrived = parseEventOf('delivery.updated', fixture);
    const reissued = parseEventOf('delivery.updated', {
      ...fixture,
      payload: { ...fixture.payload, previousState: 'ready_for_pickup' },
    });
    expect(project(arrived).entry.stage).toBe('delivery_ready_for_pickup');
    expect(project(reissued).entry.stage).toBe('delivery_code_reissued');
    expect(project(reissued).status).toBe('ready_for_pickup');
  });

  it('maps every delivery state to where the result is for the applicant', () => {
    const statuses = Object.fromEntries(
      DELIVERY_STATES.map((state) => [
        state,
        project(sampleEvent('delivery.updated', { payload: { state } })).status,
      ]),
    );
    expect(statuses).toMatchObject({
      out_for_delivery: 'in_delivery',
      delivery_failed: 'in_delivery',
      ready_for_pickup: 'ready_for_pickup',
      returned_to_window: 'ready_for_pickup',
      delivered: 'delivered',
      collected: 'collected',
    });
  });

  it('keeps personal data out of the submitted entry', () => {
    const submitted = sampleEvent('case.submitted');
    const text = JSON.stringify(project(submitted).entry);
    expect(text).not.toContain(submitted.payload.applicant.phone.ciphertext);
  });
});
