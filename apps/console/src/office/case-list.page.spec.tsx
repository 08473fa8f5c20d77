import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { generateResidentId } from '@tongban/pii';
import { type CaseView } from '../api/types';
import { renderAt, stubFetch } from '../testing/render';
import { CaseListPage, searchOf } from './case-list.page';

const STAFF = {
  token: 'token',
  user: { id: 'staff-xinan', role: 'office_staff' as const, label: '窗口', officeId: '440306001' },
};

function caseRow(receiptNumber: string): CaseView {
  return {
    caseId: `case-${receiptNumber}`,
    receiptNumber,
    itemCode: 'RS-SYBXJ-001',
    officeId: '440306001',
    status: 'routed',
    submittedAt: '2026-12-05T01:00:00.000Z',
    supplementDueAt: null,
    slaDueAt: null,
    applicant: { name: '张*' },
    materials: [],
    missingMaterials: [],
    delivery: { method: 'pickup', officeId: '440306001' },
  } as unknown as CaseView;
}

const LISTED = '440306001-20261205-0001';
const FOUND = '440306001-20261130-0042';

async function searchFor(user: ReturnType<typeof userEvent.setup>, text: string) {
  const box = screen.getByRole('searchbox', { name: '受理编号、申请人身份证号或姓名' });
  await user.clear(box);
  await user.type(box, `${text}{Enter}`);
}

describe('office case list search', () => {
  beforeEach(() => sessionStorage.clear());

  it('reads a receipt number, an ID number and a name as intake’s search fields', () => {
    const id = generateResidentId({ regionCode: '440306', birthDate: '1990-03-15' });
    expect(searchOf(` ${FOUND} `)).toEqual({ receiptNumber: FOUND });
    expect(searchOf(id.toLowerCase())).toEqual({ idNumber: id.toUpperCase() });
    expect(searchOf('张三')).toEqual({ applicantName: '张三' });
  });

  it('asks intake’s server-side search and shows what it found', async () => {
    const id = generateResidentId({ regionCode: '440306', birthDate: '1990-03-15' });
    const requests = stubFetch({
      'GET /api/intake/cases': { status: 200, body: { cases: [caseRow(LISTED)] } },
      'POST /api/intake/cases/search': { status: 200, body: { cases: [caseRow(FOUND)] } },
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/office/cases', '/office/cases', <CaseListPage />, STAFF);
    await screen.findByRole('link', { name: LISTED }, { timeout: 15000 });
    await searchFor(user, FOUND);
    await screen.findByRole('link', { name: FOUND }, { timeout: 15000 });
    expect(screen.queryByRole('link', { name: LISTED })).not.toBeInTheDocument();
    await searchFor(user, id);
    await waitFor(() =>
      expect(
        requests.filter((request) => request.key === 'POST /api/intake/cases/search').map((r) => r.body),
      ).toEqual([
        { receiptNumber: FOUND, limit: 100 },
        { idNumber: id, limit: 100 },
      ]),
    );
  });

  it('refuses an ID number with a wrong check digit at the search box, sending nothing', async () => {
    const id = generateResidentId({ regionCode: '440306', birthDate: '1990-03-15' });
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    const requests = stubFetch({ 'GET /api/intake/cases': { status: 200, body: { cases: [] } } });
    const user = userEvent.setup({ delay: null });
    renderAt('/office/cases', '/office/cases', <CaseListPage />, STAFF);
    await searchFor(user, wrong);
    expect(await screen.findByText('公民身份号码校验位不正确')).toBeInTheDocument();
    expect(requests.filter((request) => request.key.startsWith('POST'))).toEqual([]);
  });

  it('shows what intake refused at the search box', async () => {
    stubFetch({
      'GET /api/intake/cases': { status: 200, body: { cases: [] } },
      'POST /api/intake/cases/search': {
        status: 400,
        body: {
          statusCode: 400,
          issues: [{ field: 'applicantName', reason: 'must not contain a phone number' }],
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/office/cases', '/office/cases', <CaseListPage />, STAFF);
    await searchFor(user, '张三13800138000');
    await waitFor(() =>
      expect(document.querySelector('#search_query_help')).toHaveTextContent(
        'must not contain a phone number',
      ),
    );
  });
});
