import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { generatePhone, generateResidentId } from '@tongban/pii';
import { type Catalogue } from '../api/types';
import { renderAt, stubFetch } from '../testing/render';
import { SubmissionWizard, submissionBody } from './submission-wizard';

const ITEM = {
  code: 'RS-SYBXJ-001',
  name: '失业保险金申领',
  applicantKinds: ['person'] as const,
  materials: [
    { code: 'id_card', name: '居民身份证', critical: true },
    { code: 'bank_account', name: '本人社会保障卡或银行结算账户', critical: false },
  ],
  rongque: { allowed: true, materials: ['bank_account'], supplementDays: 5 },
  deliveryMethods: ['courier', 'pickup'] as const,
  autoApproval: { eligible: true },
  timeLimits: { legalDays: 20, promisedDays: 5 },
};

const CATALOGUE: Catalogue = {
  items: [ITEM],
  offices: [
    {
      id: '440306001',
      name: '新安街道党群服务中心',
      district: '440306',
      type: 'street_hall',
      pickupWindow: true,
    },
  ],
  departments: [],
  districts: [{ code: '440306', name: '宝安区' }],
};

const STAFF = {
  token: 'token',
  user: { id: 'staff-xinan', role: 'office_staff' as const, label: '窗口', officeId: '440306001' },
};

async function pickItem(user: ReturnType<typeof userEvent.setup>) {
  const select = await screen.findByRole('combobox', { name: '办理事项' });
  fireEvent.mouseDown(select);
  fireEvent.change(select, { target: { value: 'RS-SYBXJ' } });
  fireEvent.click(
    await screen.findByText('失业保险金申领 · RS-SYBXJ-001', { selector: '.ant-select-item-option-content' }),
  );
  await screen.findByText('秒批');
  await user.click(screen.getByRole('button', { name: '下一步' }));
}

describe('submission wizard', () => {
  beforeEach(() => sessionStorage.clear());

  it('refuses an ID number whose check digit is wrong before anything is sent', async () => {
    const requests = stubFetch({ 'GET /console-api/catalogue': { status: 200, body: CATALOGUE } });
    const user = userEvent.setup({ delay: null });
    renderAt('/submit', '/submit', <SubmissionWizard />, STAFF);
    await pickItem(user);
    const valid = generateResidentId({ regionCode: '440306', birthDate: '1990-03-15' });
    const wrong = valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');
    fireEvent.change(screen.getByLabelText('公民身份号码'), { target: { value: wrong } });
    fireEvent.blur(screen.getByLabelText('公民身份号码'));
    expect(await screen.findByText('公民身份号码校验位不正确')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '下一步' }));
    expect(screen.getByLabelText('公民身份号码')).toBeVisible();
    expect(requests.filter((request) => request.key.startsWith('POST'))).toEqual([]);
  });

  it('shows the field intake refused at that field, on its step', async () => {
    const requests = stubFetch({
      'GET /console-api/catalogue': { status: 200, body: CATALOGUE },
      'POST /api/intake/cases': {
        status: 400,
        body: {
          statusCode: 400,
          issues: [{ field: 'applicant.name', reason: 'must not contain a phone number' }],
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/submit', '/submit', <SubmissionWizard />, STAFF);
    await pickItem(user);
    const type = (label: string, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    const activeStep = () =>
      document.querySelector('.ant-steps-item-process .ant-steps-item-title')?.textContent;
    const next = async (title: string) => {
      await user.click(screen.getByRole('button', { name: '下一步' }));
      await waitFor(() => expect(activeStep()).toBe(title), { timeout: 10000 });
    };
    await waitFor(() => expect(screen.getByLabelText('姓名')).toBeVisible());
    type('姓名', '测试申请人');
    type('公民身份号码', generateResidentId({ regionCode: '440306', birthDate: '1990-03-15' }));
    fireEvent.mouseDown(screen.getByLabelText('户籍所在区'));
    fireEvent.change(screen.getByLabelText('户籍所在区'), { target: { value: '440306' } });
    fireEvent.click(
      await screen.findByText('宝安区 (440306)', { selector: '.ant-select-item-option-content' }),
    );
    type('手机号码', generatePhone());
    await next('材料');
    await user.click(screen.getByRole('checkbox', { name: /居民身份证/ }));
    expect(screen.getByText('容缺')).toBeInTheDocument();
    await next('送达方式');
    await next('帮办代办');
    await user.click(screen.getByRole('button', { name: '确认提交' }));

    expect(await screen.findByText('must not contain a phone number')).toBeInTheDocument();
    expect(screen.getByLabelText('姓名')).toBeVisible();
    const sent = requests.find((request) => request.key === 'POST /api/intake/cases');
    expect(sent?.headers['idempotency-key']).toMatch(/^[\da-f-]{36}$/);
    expect(sent?.body).toMatchObject({
      itemCode: 'RS-SYBXJ-001',
      materials: [{ code: 'id_card', name: '居民身份证' }],
      delivery: { method: 'pickup', officeId: '440306001' },
      assistance: { mode: 'self' },
    });
  });
});

describe('submissionBody', () => {
  it('sends an agent, a courier address and only the materials ticked', () => {
    expect(
      submissionBody(
        {
          applicant: {
            kind: 'person',
            name: ' 王五 ',
            idNumber: 'X',
            phone: '13800000000',
            householdDistrict: '440306',
          },
          received: ['bank_account'],
          delivery: {
            method: 'courier',
            address: { districtCode: '440306', street: '新安街道', detail: '一路1号' },
          },
          assistance: {
            mode: 'agent',
            agentName: '李四',
            relation: '配偶',
            agentIdNumber: 'Y',
            agentPhone: '13900000000',
          },
        },
        ITEM,
      ),
    ).toEqual({
      itemCode: 'RS-SYBXJ-001',
      applicant: {
        kind: 'person',
        name: '王五',
        idNumber: 'X',
        phone: '13800000000',
        householdDistrict: '440306',
      },
      materials: [{ code: 'bank_account', name: '本人社会保障卡或银行结算账户' }],
      delivery: {
        method: 'courier',
        address: { districtCode: '440306', street: '新安街道', detail: '一路1号' },
      },
      assistance: {
        mode: 'agent',
        agentName: '李四',
        relation: '配偶',
        agentIdNumber: 'Y',
        agentPhone: '13900000000',
      },
    });
  });
});
