import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  Radio,
  Select,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { type NamePath } from 'antd/es/form/interface';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, call, type FieldIssue } from '../api/client';
import { type Catalogue, type CatalogueItem, type DeliveryMethod } from '../api/types';
import { useSession } from '../auth/session';
import { idNumberRule, phoneRule, showServerIssues } from '../common/checks';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';
import { COLOURS } from '../common/colours';

interface WizardValues {
  itemCode?: string;
  applicant?: {
    kind: 'person' | 'company';
    name?: string;
    idNumber?: string;
    phone?: string;
    householdDistrict?: string;
    companyName?: string;
    creditCode?: string;
    registeredDistrict?: string;
    contactName?: string;
  };
  received?: string[];
  delivery?: {
    method?: DeliveryMethod;
    officeId?: string;
    address?: { districtCode?: string; street?: string; detail?: string };
  };
  assistance?: {
    mode: 'self' | 'staff_assisted' | 'agent';
    agentName?: string;
    relation?: string;
    agentIdNumber?: string;
    agentPhone?: string;
  };
}

const STEP_FIELDS: NamePath[][] = [
  ['itemCode'],
  [['applicant']],
  ['received'],
  [['delivery']],
  [['assistance']],
];

/** Which step shows a field the server named, so the clerk lands on it. */
function stepOf(field: string): number {
  if (field.startsWith('itemCode')) return 0;
  if (field.startsWith('applicant')) return 1;
  if (field.startsWith('materials')) return 2;
  if (field.startsWith('delivery')) return 3;
  if (field.startsWith('assistance')) return 4;
  return 4;
}

/** The body of `POST /cases` (intake's README): materials as ticked, the rest as entered. */
export function submissionBody(values: WizardValues, item: CatalogueItem) {
  const applicant = values.applicant ?? { kind: 'person' };
  const received = new Set(values.received ?? []);
  const delivery = values.delivery ?? {};
  return {
    itemCode: item.code,
    applicant:
      applicant.kind === 'company'
        ? {
            kind: 'company',
            companyName: applicant.companyName?.trim(),
            creditCode: applicant.creditCode?.trim(),
            registeredDistrict: applicant.registeredDistrict,
            contactName: applicant.contactName?.trim(),
            phone: applicant.phone?.trim(),
          }
        : {
            kind: 'person',
            name: applicant.name?.trim(),
            idNumber: applicant.idNumber?.trim(),
            phone: applicant.phone?.trim(),
            householdDistrict: applicant.householdDistrict,
          },
    materials: item.materials
      .filter((material) => received.has(material.code))
      .map((material) => ({ code: material.code, name: material.name })),
    delivery:
      delivery.method === 'pickup'
        ? { method: 'pickup', officeId: delivery.officeId }
        : { method: delivery.method, address: delivery.address },
    assistance: values.assistance ?? { mode: 'self' },
  };
}

/** 一窗受理: item, applicant, materials (容缺 marked), delivery, 帮办代办, in five steps. */
export function SubmissionWizard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session } = useSession();
  const officeId = session?.user.officeId ?? '';
  const catalogue = useLoad(
    () => call<Catalogue>('console', '/catalogue', { query: { officeId } }),
    [officeId],
  );
  const [form] = Form.useForm<WizardValues>();
  const [step, setStep] = useState(0);
  const [refusal, setRefusal] = useState<unknown>();
  const [unplaced, setUnplaced] = useState<FieldIssue[]>([]);
  const [sending, setSending] = useState(false);
  // One key per wizard: a retried submit (double click, lost answer) returns the first case.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const itemCode = Form.useWatch('itemCode', form);
  const kind = Form.useWatch(['applicant', 'kind'], form) ?? 'person';
  const method = Form.useWatch(['delivery', 'method'], form);
  const mode = Form.useWatch(['assistance', 'mode'], form) ?? 'self';
  const received = Form.useWatch('received', form);
  const item = catalogue.data?.items.find((entry) => entry.code === itemCode);
  const rongque = useMemo(
    () => new Set(item?.rongque?.allowed ? (item.rongque.materials ?? []) : []),
    [item],
  );
  const pickupOffices = (catalogue.data?.offices ?? []).filter((office) => office.pickupWindow);
  const districts = (catalogue.data?.districts ?? []).map((district) => ({
    value: district.code,
    label: `${district.name} (${district.code})`,
  }));
  const missingCritical = (item?.materials ?? []).filter(
    (material) => !(received ?? []).includes(material.code) && !rongque.has(material.code),
  );

  async function next() {
    try {
      await form.validateFields(STEP_FIELDS[step], { recursive: true });
    } catch {
      return;
    }
    // The form's own value, not the watched one, which trails a quick click by a render.
    const ticked = (form.getFieldValue('received') as string[] | undefined) ?? [];
    if (step === 2 && item?.materials.some((m) => !ticked.includes(m.code) && !rongque.has(m.code))) return;
    setStep(step + 1);
  }

  async function submit() {
    if (!item) return;
    setRefusal(undefined);
    setUnplaced([]);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setSending(true);
    try {
      const answer = await call<{ caseId: string; receiptNumber: string }>('intake', '/cases', {
        method: 'POST',
        body: submissionBody(form.getFieldsValue(true), item),
        headers: { 'idempotency-key': idempotencyKey },
      });
      void navigate(`/office/receipt/${answer.caseId}`);
    } catch (error) {
      setRefusal(error);
      if (error instanceof ApiError && error.issues.length > 0) {
        setUnplaced(showServerIssues(form, error.issues));
        setStep(Math.min(...error.issues.map((issue) => stepOf(issue.field))));
      }
    } finally {
      setSending(false);
    }
  }

  const steps = ['item', 'applicant', 'materials', 'delivery', 'agent'] as const;
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('wizard.title')}
        </Typography.Title>
      }
    >
      <Flex vertical gap="middle">
        <Steps
          current={step}
          size="small"
          items={steps.map((key) => ({ title: t(`wizard.steps.${key}`) }))}
        />
        <PageError error={catalogue.error} />
        {refusal !== undefined && (
          <Alert
            type="error"
            role="alert"
            showIcon
            title={
              refusal instanceof ApiError && refusal.issues.length
                ? t('wizard.serverRefused')
                : (refusal as Error).message
            }
            description={
              unplaced.length
                ? unplaced.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')
                : undefined
            }
          />
        )}
        <Form
          form={form}
          layout="vertical"
          name="submission"
          initialValues={{
            applicant: { kind: 'person' },
            delivery: { method: 'pickup', officeId },
            assistance: { mode: 'self' },
            received: [],
          }}
          preserve
          onValuesChange={(changed: WizardValues) => {
            if (changed.itemCode) {
              const chosen = catalogue.data?.items.find((entry) => entry.code === changed.itemCode);
              form.setFieldsValue({
                received: [],
                applicant: { kind: chosen?.applicantKinds[0] ?? 'person' },
                delivery: {
                  method: chosen?.deliveryMethods.includes('pickup') ? 'pickup' : chosen?.deliveryMethods[0],
                  officeId,
                },
              });
            }
          }}
        >
          <div hidden={step !== 0}>
            <Form.Item
              name="itemCode"
              label={t('wizard.item')}
              rules={[{ required: true, message: t('checks.required') }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                placeholder={t('wizard.itemPlaceholder')}
                loading={catalogue.loading}
                options={(catalogue.data?.items ?? []).map((entry) => ({
                  value: entry.code,
                  label: `${entry.name} · ${entry.code}`,
                }))}
              />
            </Form.Item>
            {item && (
              <Flex gap="small" wrap>
                {item.autoApproval?.eligible && <Tag color={COLOURS.green}>{t('wizard.autoApproval')}</Tag>}
                <Tag>{t('wizard.promised', { days: item.timeLimits.promisedDays })}</Tag>
                {item.category && <Tag>{item.category}</Tag>}
              </Flex>
            )}
          </div>

          <div hidden={step !== 1}>
            <Form.Item name={['applicant', 'kind']} label={t('wizard.kind')}>
              <Radio.Group
                options={(item?.applicantKinds ?? ['person']).map((value) => ({
                  value,
                  label: t(`wizard.${value}`),
                }))}
              />
            </Form.Item>
            {kind === 'person' ? (
              <>
                <Form.Item
                  name={['applicant', 'name']}
                  label={t('wizard.name')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Input autoComplete="off" />
                </Form.Item>
                <Form.Item
                  name={['applicant', 'idNumber']}
                  label={t('wizard.idNumber')}
                  validateTrigger="onBlur"
                  rules={[{ required: true, message: t('checks.required') }, idNumberRule(t)]}
                >
                  <Input autoComplete="off" maxLength={18} />
                </Form.Item>
                <Form.Item
                  name={['applicant', 'householdDistrict']}
                  label={t('wizard.householdDistrict')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Select showSearch optionFilterProp="label" options={districts} />
                </Form.Item>
              </>
            ) : (
              <>
                <Form.Item
                  name={['applicant', 'companyName']}
                  label={t('wizard.companyName')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Input />
                </Form.Item>
                <Form.Item
                  name={['applicant', 'creditCode']}
                  label={t('wizard.creditCode')}
                  rules={[
                    { required: true, message: t('checks.required') },
                    { pattern: /^[0-9A-Z]{18}$/, message: t('checks.creditCode') },
                  ]}
                >
                  <Input maxLength={18} />
                </Form.Item>
                <Form.Item
                  name={['applicant', 'registeredDistrict']}
                  label={t('wizard.registeredDistrict')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Select showSearch optionFilterProp="label" options={districts} />
                </Form.Item>
                <Form.Item
                  name={['applicant', 'contactName']}
                  label={t('wizard.contactName')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Input />
                </Form.Item>
              </>
            )}
            <Form.Item
              name={['applicant', 'phone']}
              label={t('wizard.phone')}
              validateTrigger="onBlur"
              rules={[{ required: true, message: t('checks.required') }, phoneRule(t)]}
            >
              <Input autoComplete="off" inputMode="tel" maxLength={20} />
            </Form.Item>
          </div>

          <div hidden={step !== 2}>
            <Typography.Paragraph>{t('wizard.materialsHint')}</Typography.Paragraph>
            <Form.Item name="received" label={t('wizard.steps.materials')}>
              <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                {(item?.materials ?? []).map((material) => (
                  <Checkbox key={material.code} value={material.code}>
                    {material.name}{' '}
                    {rongque.has(material.code) ? (
                      <Tag color={COLOURS.blue}>{t('wizard.rongque')}</Tag>
                    ) : (
                      <Tag color={COLOURS.red}>{t('wizard.critical')}</Tag>
                    )}
                  </Checkbox>
                ))}
              </Checkbox.Group>
            </Form.Item>
            {item?.rongque?.allowed && (
              <Alert
                type="info"
                title={t('wizard.rongqueDays', { days: item.rongque.supplementDays ?? 5 })}
              />
            )}
            {missingCritical.length > 0 && (
              <Alert
                type="warning"
                role="status"
                title={t('wizard.missingCritical', {
                  names: missingCritical.map((material) => material.name).join('、'),
                })}
              />
            )}
          </div>

          <div hidden={step !== 3}>
            <Form.Item
              name={['delivery', 'method']}
              label={t('wizard.method')}
              rules={[{ required: true, message: t('checks.required') }]}
            >
              <Radio.Group
                options={(item?.deliveryMethods ?? ['pickup']).map((value) => ({
                  value,
                  label: t(`wizard.methods.${value}`),
                }))}
              />
            </Form.Item>
            {method === 'pickup' ? (
              <Form.Item
                name={['delivery', 'officeId']}
                label={t('wizard.pickupOffice')}
                rules={[{ required: true, message: t('checks.required') }]}
              >
                <Select
                  showSearch
                  optionFilterProp="label"
                  options={pickupOffices.map((office) => ({
                    value: office.id,
                    label: `${office.name} (${office.id})`,
                  }))}
                />
              </Form.Item>
            ) : (
              <>
                <Form.Item
                  name={['delivery', 'address', 'districtCode']}
                  label={t('wizard.district')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Select showSearch optionFilterProp="label" options={districts} />
                </Form.Item>
                <Form.Item
                  name={['delivery', 'address', 'street']}
                  label={t('wizard.street')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Input />
                </Form.Item>
                <Form.Item
                  name={['delivery', 'address', 'detail']}
                  label={t('wizard.addressDetail')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Input />
                </Form.Item>
              </>
            )}
          </div>

          <div hidden={step !== 4}>
            <Form.Item name={['assistance', 'mode']} label={t('wizard.assistance')}>
              <Radio.Group
                options={(['self', 'staff_assisted', 'agent'] as const).map((value) => ({
                  value,
                  label: t(`wizard.modes.${value}`),
                }))}
              />
            </Form.Item>
            {mode === 'agent' && (
              <>
                <Form.Item
                  name={['assistance', 'agentName']}
                  label={t('wizard.agentName')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Input />
                </Form.Item>
                <Form.Item
                  name={['assistance', 'relation']}
                  label={t('wizard.relation')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Input />
                </Form.Item>
                {/* 代办 needs the agent's own ID card: the window checks it again at collection. */}
                <Form.Item
                  name={['assistance', 'agentIdNumber']}
                  label={t('wizard.agentIdNumber')}
                  validateTrigger="onBlur"
                  rules={[{ required: true, message: t('checks.required') }, idNumberRule(t)]}
                >
                  <Input autoComplete="off" maxLength={18} />
                </Form.Item>
                <Form.Item
                  name={['assistance', 'agentPhone']}
                  label={t('wizard.agentPhone')}
                  validateTrigger="onBlur"
                  rules={[{ required: true, message: t('checks.required') }, phoneRule(t)]}
                >
                  <Input autoComplete="off" />
                </Form.Item>
              </>
            )}
          </div>
        </Form>
        <Flex gap="small">
          {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('common.previous')}</Button>}
          {step < steps.length - 1 && (
            <Button type="primary" onClick={() => void next()} disabled={step === 0 && !item}>
              {t('common.next')}
            </Button>
          )}
          {step === steps.length - 1 && (
            <Button type="primary" loading={sending} onClick={() => void submit()}>
              {t('wizard.review')}
            </Button>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}
