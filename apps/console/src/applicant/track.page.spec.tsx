import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type Catalogue, type Tracking } from '../api/types';
import { renderAt, stubFetch } from '../testing/render';
import { TrackPage } from './track.page';

const CATALOGUE: Catalogue = {
  items: [],
  offices: [
    {
      id: '440306001',
      name: '新安街道党群服务中心',
      district: '440306',
      type: 'street_hall',
      pickupWindow: true,
    },
    {
      id: '440306101',
      name: '上川社区党群服务中心',
      district: '440306',
      type: 'community',
      pickupWindow: false,
    },
  ],
  departments: [],
  districts: [],
};

const TRACKING: Tracking = {
  receiptNumber: '440303001-20261205-0001',
  itemCode: 'RS-SYBXJ-001',
  status: 'in_delivery',
  submittedAt: '2026-12-05T01:00:00.000Z',
  dueAt: null,
  delivery: 'courier',
  stages: [{ stage: 'submitted', at: '2026-12-05T01:00:00.000Z' }],
};

async function trackAndChooseWindow(user: ReturnType<typeof userEvent.setup>) {
  renderAt('/track', '/track', <TrackPage onLanguage={() => undefined} />);
  await user.type(screen.getByLabelText('受理编号'), TRACKING.receiptNumber);
  await user.type(screen.getByLabelText('手机号码后4位'), '0037');
  await user.click(screen.getByRole('button', { name: /^查\s?询$/ }));
  const office = await screen.findByRole('combobox', { name: '领取窗口' });
  fireEvent.mouseDown(office);
  // Only offices with a pickup window are offered.
  expect(screen.queryByText('上川社区党群服务中心')).not.toBeInTheDocument();
  fireEvent.click(
    await screen.findByText('新安街道党群服务中心', { selector: '.ant-select-item-option-content' }),
  );
  await user.click(screen.getByRole('button', { name: '改为到此窗口领取' }));
}

describe('applicant page: switch to window pickup', () => {
  it('sends the tracked receipt and phone ending with the chosen window, and says where to collect', async () => {
    const requests = stubFetch({
      'GET /console-api/catalogue': { status: 200, body: CATALOGUE },
      'POST /api/intake/cases/track': { status: 200, body: TRACKING },
      'POST /api/delivery/parcels/switch-to-pickup': { status: 200, body: {} },
    });
    await trackAndChooseWindow(userEvent.setup({ delay: null }));
    expect(
      await screen.findByText('已改为到新安街道党群服务中心领取，结果件到达后将短信通知取件码'),
    ).toBeInTheDocument();
    expect(
      requests.find((request) => request.key === 'POST /api/delivery/parcels/switch-to-pickup')?.body,
    ).toEqual({
      receipt: TRACKING.receiptNumber,
      phoneLast4: '0037',
      officeId: '440306001',
    });
  });

  it('shows a refused field at that field', async () => {
    stubFetch({
      'GET /console-api/catalogue': { status: 200, body: CATALOGUE },
      'POST /api/intake/cases/track': { status: 200, body: TRACKING },
      'POST /api/delivery/parcels/switch-to-pickup': {
        status: 400,
        body: {
          statusCode: 400,
          message: 'invalid request',
          issues: [{ field: 'officeId', reason: 'must be an office with a pickup window (通取)' }],
        },
      },
    });
    await trackAndChooseWindow(userEvent.setup({ delay: null }));
    await waitFor(() =>
      expect(document.querySelector('#switch_officeId_help')).toHaveTextContent(
        'must be an office with a pickup window (通取)',
      ),
    );
    expect(screen.queryByText(/操作失败/)).not.toBeInTheDocument();
  });

  it('says when the parcel has already left', async () => {
    stubFetch({
      'GET /console-api/catalogue': { status: 200, body: CATALOGUE },
      'POST /api/intake/cases/track': { status: 200, body: TRACKING },
      'POST /api/delivery/parcels/switch-to-pickup': {
        status: 409,
        body: { statusCode: 409, message: 'the parcel has left (state out_for_delivery)' },
      },
    });
    await trackAndChooseWindow(userEvent.setup({ delay: null }));
    expect(await screen.findByText(/结果件已出发派送，不能再改为窗口自取/)).toBeInTheDocument();
  });

  it('offers no switch for a window pickup', async () => {
    stubFetch({
      'GET /console-api/catalogue': { status: 200, body: CATALOGUE },
      'POST /api/intake/cases/track': { status: 200, body: { ...TRACKING, delivery: 'pickup' } },
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/track', '/track', <TrackPage onLanguage={() => undefined} />);
    await user.type(screen.getByLabelText('受理编号'), TRACKING.receiptNumber);
    await user.type(screen.getByLabelText('手机号码后4位'), '0037');
    await user.click(screen.getByRole('button', { name: /^查\s?询$/ }));
    await screen.findByTestId('tracking-status');
    expect(screen.queryByText('改为窗口自取')).not.toBeInTheDocument();
  });
});
