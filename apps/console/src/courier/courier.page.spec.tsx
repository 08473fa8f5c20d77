import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type Parcel } from '../api/types';
import { renderAt, stubFetch } from '../testing/render';
import { CourierPage } from './courier.page';

const COURIER = {
  token: 'token',
  user: { id: 'courier-01', role: 'courier' as const, label: '投递员', courierId: 'courier-01' },
};

function parcel(state: string): Parcel {
  return {
    parcelId: 'p-1',
    caseId: 'c-1',
    trackingNumber: 'TB0001',
    kind: 'result',
    receiptNumber: '440306001-20261205-0001',
    itemCode: 'RS-SYBXJ-001',
    documentNumber: '440306-rsj-20261205-0001',
    method: 'courier',
    state,
    officeId: '440303001',
    courierId: 'courier-01',
    address: { districtCode: '440306', street: '新安街道', detail: '新安一路1号' },
    recipient: { name: '测试申请人', phoneMasked: '180****0037' },
    attempts: 0,
    failureReason: null,
    nextAttemptAt: null,
  };
}

/** What a stray press on the dialog's mask does: antd closes on mouse-down then click there. */
function pressOnMask() {
  const wrap = document.querySelector('.ant-modal-wrap');
  if (!wrap) throw new Error('no dialog on screen');
  fireEvent.mouseDown(wrap);
  fireEvent.mouseUp(wrap);
  fireEvent.click(wrap);
}

describe('courier page', () => {
  beforeEach(() => sessionStorage.clear());

  it('keeps the 回执单 dialog and its signature pad when the mask beside it is pressed', async () => {
    stubFetch({
      'GET /console-api/catalogue': { status: 404, body: {} },
      'GET /api/delivery/courier/parcels': { status: 200, body: { parcels: [parcel('ready_for_dispatch')] } },
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/courier', '/courier', <CourierPage />, COURIER);
    await user.click(await screen.findByRole('checkbox', { name: '选中待取' }));
    await user.click(screen.getByRole('button', { name: '签收回执单 (1)' }));
    expect(await screen.findByRole('img', { name: '请在框内签名' })).toBeInTheDocument();
    pressOnMask();
    // Give a close every chance to happen before looking: the dialog is still there afterwards.
    await user.click(screen.getByRole('button', { name: /^清\s?除$/ }));
    expect(screen.getByRole('dialog')).toBeVisible();
    expect(screen.getByRole('img', { name: '请在框内签名' })).toBeInTheDocument();
  });

  it('still sends the failed attempt typed into the dialog after a press on its mask', async () => {
    const requests = stubFetch({
      'GET /console-api/catalogue': { status: 404, body: {} },
      'GET /api/delivery/courier/parcels': { status: 200, body: { parcels: [parcel('out_for_delivery')] } },
      'POST /api/delivery/courier/parcels/p-1/failed-attempts': { status: 201, body: {} },
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/courier', '/courier', <CourierPage />, COURIER);
    await user.click(await screen.findByRole('button', { name: /^投递失败$/ }));
    const reason = await screen.findByRole('combobox', { name: '原因' });
    fireEvent.mouseDown(reason);
    fireEvent.click(await screen.findByText('无人在家', { selector: '.ant-select-item-option-content' }));
    pressOnMask();
    await user.click(screen.getByRole('button', { name: /^提\s?交$/ }));
    await waitFor(() =>
      expect(requests.filter((request) => request.key.startsWith('POST'))).toEqual([
        expect.objectContaining({
          key: 'POST /api/delivery/courier/parcels/p-1/failed-attempts',
          body: { reason: 'not_home' },
        }),
      ]),
    );
  });
});
