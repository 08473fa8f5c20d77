import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type Catalogue } from '../api/types';
import { renderAt, stubFetch } from '../testing/render';
import { RoutingRules } from './routing-rules';

const OPERATOR = { token: 'token', user: { id: 'operator', role: 'operator' as const, label: '运维' } };

const CATALOGUE = {
  items: [{ code: 'RS-SYBXJ-001', name: '失业保险金申领' }],
  offices: [
    {
      id: '440303001',
      name: '桂园街道党群服务中心',
      district: '440303',
      type: 'street_hall',
      pickupWindow: true,
    },
  ],
  departments: [{ id: '440306-rsj', name: '宝安区人力资源局' }],
  districts: [{ code: '440306', name: '宝安区' }],
} as unknown as Catalogue;

const VERSION = {
  ruleId: 'RS-SYBXJ-001',
  itemCode: 'RS-SYBXJ-001',
  region: null,
  effectiveFrom: '2026-01-01T00:00:00.000Z',
  effectiveTo: null,
  basis: 'household_registration',
  departmentType: 'rsj',
  departmentId: null,
  parallelDepartmentTypes: [],
  note: '按户籍地管辖',
};

async function pick(inputId: string, option: string) {
  const input = document.getElementById(inputId);
  if (!input) throw new Error(`no #${inputId}`);
  fireEvent.mouseDown(input);
  fireEvent.click(await screen.findByText(option, { selector: '.ant-select-item-option-content' }));
}

describe('routing rules screen', () => {
  beforeEach(() => sessionStorage.clear());

  it('shows a rule’s versions when its row is expanded', async () => {
    stubFetch({
      'GET /console-api/catalogue': { status: 200, body: CATALOGUE },
      'GET /api/routing/rules': {
        status: 200,
        body: {
          rules: [
            {
              ruleId: 'RS-SYBXJ-001',
              itemCode: 'RS-SYBXJ-001',
              region: null,
              inForce: { ...VERSION, version: 2 },
              latestVersion: 2,
            },
          ],
        },
      },
      'GET /api/routing/rules/RS-SYBXJ-001': {
        status: 200,
        body: {
          versions: [
            { ...VERSION, version: 1, note: '首版' },
            { ...VERSION, version: 2 },
          ],
        },
      },
    });
    renderAt('/operator', '/operator', <RoutingRules />, OPERATOR);
    expect(await screen.findByText('v2 / v2', {}, { timeout: 15000 })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /expand|展开/i }));
    const history = await screen.findByTestId('rule-history-RS-SYBXJ-001', {}, { timeout: 15000 });
    expect(await within(history).findByText('首版')).toBeInTheDocument();
    expect(within(history).getByText('按户籍地管辖')).toBeInTheDocument();
  });

  it('dry-runs a case and shows where it would go, and a refused field at that field', async () => {
    let answered = 0;
    const requests = stubFetch({
      'GET /console-api/catalogue': { status: 200, body: CATALOGUE },
      'GET /api/routing/rules': { status: 200, body: { rules: [] } },
      'POST /api/routing/routing/dry-run': () =>
        answered++ === 0
          ? {
              status: 400,
              body: {
                statusCode: 400,
                issues: [
                  { field: 'applicant.householdDistrict', reason: 'must be a six-digit district code' },
                ],
              },
            }
          : {
              status: 200,
              body: {
                outcome: 'routed',
                rule: { ruleId: 'RS-SYBXJ-001', version: 2 },
                assignments: [{ departmentId: '440306-rsj', role: 'primary' }],
                crossDistrict: true,
                slaDueAt: '2026-12-12T09:00:00.000Z',
                explanation: { steps: ['rule RS-SYBXJ-001 v2: basis household_registration'] },
              },
            },
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/operator', '/operator', <RoutingRules />, OPERATOR);
    await screen.findByText('分拨试算');
    await pick('dryRun_itemCode', '失业保险金申领 · RS-SYBXJ-001');
    await pick('dryRun_officeId', '桂园街道党群服务中心');
    await pick('dryRun_householdDistrict', '宝安区');
    await user.click(screen.getByRole('button', { name: /^试\s?算$/ }));
    await waitFor(() =>
      expect(document.querySelector('#dryRun_householdDistrict_help')).toHaveTextContent(
        'must be a six-digit district code',
      ),
    );
    await user.click(screen.getByRole('button', { name: /^试\s?算$/ }));
    expect(await screen.findByText('宝安区人力资源局 · 跨区通办')).toBeInTheDocument();
    expect(screen.getByText('rule RS-SYBXJ-001 v2: basis household_registration')).toBeInTheDocument();
    expect(requests.find((request) => request.key === 'POST /api/routing/routing/dry-run')?.body).toEqual({
      itemCode: 'RS-SYBXJ-001',
      officeId: '440303001',
      applicant: { kind: 'person', householdDistrict: '440306' },
    });
  });
});
