import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_ROUTES, describeHostileInput, type HostileRoute } from '@tongban/service-testing';
import { deliveryService } from './delivery.service-definition';

const id = randomUUID();
const STAFF = 'staff-xinan';
const COURIER = 'courier-01';
const nextAttemptAt = '2030-01-02T10:00:00+08:00';
const parcelQuery = { state: 'created', method: 'door', includeFinal: 'false', limit: '10' };
// The routes that take only a parcel id, for staff and couriers.
const byId = (user: string, ...paths: string[]): HostileRoute[] =>
  paths.map((path) => ({ method: path.endsWith(':id') ? 'GET' : 'POST', path, user, params: { id } }));

describeHostileInput(deliveryService, [
  { method: 'GET', path: '/parcels', user: STAFF, query: parcelQuery },
  {
    method: 'POST',
    path: '/parcels/switch-to-pickup',
    body: { trackingNumber: 'TB202611240001', phoneLast4: '1234', officeId: '440306001' },
  },
  ...byId(
    STAFF,
    '/parcels/:id',
    '/parcels/:id/receive',
    '/parcels/:id/post-delivered',
    '/parcels/:id/return-to-window',
    '/parcels/:id/pickup-code',
  ),
  { method: 'POST', path: '/parcels/:id/assign', user: STAFF, params: { id }, body: { courierId: COURIER } },
  {
    method: 'POST',
    path: '/parcels/:id/post',
    user: STAFF,
    params: { id },
    body: { postalTrackingNumber: 'EMS1234567890CN' },
  },
  {
    method: 'POST',
    path: '/parcels/:id/handover',
    user: STAFF,
    params: { id },
    body: { proof: { kind: 'pickup_code', code: '123456' }, signatureRef: 'sig://window/1' },
  },
  {
    method: 'POST',
    path: '/parcels/:id/switch-to-pickup',
    user: STAFF,
    params: { id },
    body: { officeId: '440306002' },
  },
  { method: 'GET', path: '/courier/parcels', user: COURIER, query: parcelQuery },
  ...byId(COURIER, '/courier/parcels/:id', '/courier/receipts/:id', '/courier/parcels/:id/out-for-delivery'),
  {
    method: 'POST',
    path: '/courier/pickups',
    user: COURIER,
    body: { parcelIds: [id], signatureRef: 'sig://receipt/1' },
  },
  {
    method: 'POST',
    path: '/courier/parcels/:id/delivered',
    user: COURIER,
    params: { id },
    body: {
      proof: { kind: 'id_last4', idLast4: '123X' },
      signatureRef: 'sig://door/1',
      photoRef: 'photo://door/1',
    },
  },
  {
    method: 'POST',
    path: '/courier/parcels/:id/failed-attempts',
    user: COURIER,
    params: { id },
    body: { reason: 'not_home', nextAttemptAt },
    instants: ['nextAttemptAt'],
  },
  {
    method: 'POST',
    path: '/courier/parcels/:id/reschedule',
    user: COURIER,
    params: { id },
    body: { nextAttemptAt },
    instants: ['nextAttemptAt'],
  },
  ...DEAD_LETTER_ROUTES,
]);
