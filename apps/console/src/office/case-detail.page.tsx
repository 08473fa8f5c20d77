import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  Row,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import { type CaseView, type Parcel, type SupplementItem, type Timeline as CaseTimeline } from '../api/types';
import { useNames } from '../common/catalogue';
import { showServerIssues } from '../common/checks';
import { formatTime, label, stageLabel } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';

/** The open 一次性告知 request, as the timeline carries it (intake has one open at a time). */
function openRequest(timeline: CaseTimeline | undefined) {
  if (timeline?.status !== 'supplement_requested') return undefined;
  const last = [...timeline.stages].reverse().find((stage) => stage.stage === 'supplement_requested');
  return last
    ? { departmentId: last.departmentId, items: (last.detail['items'] ?? []) as SupplementItem[] }
    : undefined;
}

function SupplementAnswer({
  caseId,
  items,
  onDone,
}: {
  readonly caseId: string;
  readonly items: readonly SupplementItem[];
  readonly onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ collected: string[] }>();
  const [error, setError] = useState<unknown>();
  async function answer() {
    setError(undefined);
    const collected = new Set(form.getFieldValue('collected') as string[] | undefined);
    try {
      await call('intake', `/cases/${caseId}/supplements`, {
        method: 'POST',
        body: {
          materials: items
            .filter((item) => collected.has(item.materialCode))
            .map((item) => ({ code: item.materialCode, name: item.materialName ?? item.materialCode })),
        },
      });
      onDone();
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) showServerIssues(form, failure.issues);
    }
  }
  return (
    <Card type="inner" title={t('cases.supplementTitle')}>
      <Form form={form} layout="vertical" name="supplement" onFinish={() => void answer()}>
        <Form.Item name="collected" label={t('reviewer.materials')}>
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            {items.map((item) => (
              <Checkbox key={item.materialCode} value={item.materialCode}>
                {item.materialName ?? item.materialCode} — {item.reason}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <PageError error={error} />
        <Button type="primary" htmlType="submit">
          {t('cases.supplementAnswer')}
        </Button>
      </Form>
    </Card>
  );
}

/** The result parcel at this office: take it in, give it to a courier, hand it over at the window. */
function ParcelActions({ parcel, onDone }: { readonly parcel: Parcel; readonly onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [form] = Form.useForm();
  const act = async (path: string, body?: unknown) => {
    setError(undefined);
    try {
      await call('delivery', `/parcels/${parcel.parcelId}/${path}`, { method: 'POST', body });
      onDone();
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) showServerIssues(form, failure.issues);
    }
  };
  return (
    <Card
      type="inner"
      data-parcel-id={parcel.parcelId}
      title={`${t('cases.parcel')} ${parcel.trackingNumber}`}
    >
      <Flex vertical gap="small">
        <div>
          <Tag>{label('courier.states', parcel.state)}</Tag> {t(`wizard.methods.${parcel.method}`)}
          {parcel.documentNumber ? ` · ${t('reviewer.document')} ${parcel.documentNumber}` : ''}
        </div>
        {parcel.state === 'created' && (
          <Button onClick={() => void act('receive')}>{t('cases.receive')}</Button>
        )}
        {parcel.method === 'courier' && ['created', 'ready_for_dispatch'].includes(parcel.state) && (
          <Form
            form={form}
            layout="inline"
            name="assign"
            onFinish={(values: { courierId: string }) => void act('assign', values)}
          >
            <Form.Item
              name="courierId"
              label={t('cases.courierId')}
              rules={[{ required: true, message: t('checks.required') }]}
              initialValue={parcel.courierId ?? undefined}
            >
              <Input style={{ width: 160 }} />
            </Form.Item>
            <Button htmlType="submit">{t('cases.assign')}</Button>
          </Form>
        )}
        {['ready_for_pickup', 'returned_to_window'].includes(parcel.state) && (
          <Form
            form={form}
            layout="inline"
            name="handover"
            onFinish={(values: { code: string }) =>
              void act('handover', { proof: { kind: 'pickup_code', code: values.code.trim() } })
            }
          >
            <Form.Item
              name="code"
              label={t('cases.pickupCode')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('checks.required') }]}
            >
              <Input inputMode="numeric" maxLength={6} style={{ width: 120 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('cases.handover')}
            </Button>
          </Form>
        )}
        <PageError error={error} />
      </Flex>
    </Card>
  );
}

export function CaseDetailPage() {
  const { t } = useTranslation();
  const { caseId = '' } = useParams();
  const names = useNames();
  const found = useLoad(
    () =>
      Promise.all([
        call<CaseView>('intake', `/cases/${caseId}`),
        call<CaseTimeline>('intake', `/cases/${caseId}/timeline`),
        // The case shows without delivery, but a failed parcel load is said, not shown as no parcel.
        call<{ parcels: Parcel[] }>('delivery', '/parcels', {
          query: { includeFinal: true, limit: 100 },
        }).then(
          (answer) => ({ parcels: answer.parcels, error: undefined as unknown }),
          (error: unknown) => ({ parcels: [] as Parcel[], error }),
        ),
      ]),
    [caseId],
  );
  const [view, timeline, parcels] = found.data ?? [];
  const request = openRequest(timeline);
  const parcel = parcels?.parcels.find((entry) => entry.caseId === caseId);
  const departments = new Map<string, string>();
  for (const stage of timeline?.stages ?? [])
    if (stage.departmentId) departments.set(stage.departmentId, stage.stage);
  return (
    <Flex vertical gap="middle">
      <PageError error={found.error} />
      <PageError error={parcels?.error} />
      <Flex gap="small">
        <Button onClick={found.reload}>{t('common.refresh')}</Button>
        <Link to={`/office/receipt/${caseId}`}>{t('receipt.title')}</Link>
      </Flex>
      {view && (
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Flex vertical gap="middle">
              <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{view.receiptNumber}</h1>}>
                <Descriptions column={1} size="small">
                  <Descriptions.Item label={t('common.item')}>{names.item(view.itemCode)}</Descriptions.Item>
                  <Descriptions.Item label={t('common.status')}>
                    <Tag data-testid="case-status">{label('status', view.status)}</Tag>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('common.applicant')}>
                    {view.applicant['name'] ?? view.applicant['companyName']} {view.applicant['idNumber']}{' '}
                    {view.applicant['phone']}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('common.dueAt')}>
                    {formatTime(timeline?.slaDueAt ?? view.slaDueAt)}
                  </Descriptions.Item>
                </Descriptions>
              </Card>
              {request && <SupplementAnswer caseId={caseId} items={request.items} onDone={found.reload} />}
              {parcel && <ParcelActions parcel={parcel} onDone={found.reload} />}
              {departments.size > 0 && (
                <Card type="inner" title={t('cases.departments')}>
                  {[...departments].map(([department, stage]) => (
                    <div key={department}>
                      {names.department(department)}: <Tag>{stageLabel(stage)}</Tag>
                    </div>
                  ))}
                </Card>
              )}
            </Flex>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('cases.timeline')}</h2>}>
              {timeline?.stages.length ? (
                <Timeline
                  items={timeline.stages.map((stage) => ({
                    title: formatTime(stage.at),
                    content: (
                      <span>
                        <strong>{stageLabel(stage.stage)}</strong>{' '}
                        <Typography.Text type="secondary">
                          {names.department(stage.departmentId) || names.office(stage.officeId)}
                        </Typography.Text>
                      </span>
                    ),
                  }))}
                />
              ) : (
                <Alert type="info" title={t('common.none')} />
              )}
            </Card>
          </Col>
        </Row>
      )}
    </Flex>
  );
}
