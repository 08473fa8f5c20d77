import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Switch,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import { type WorkItemDetail } from '../api/types';
import { useSession } from '../auth/session';
import { useCatalogue, useNames } from '../common/catalogue';
import { chosen as atLeastOne, showServerIssues } from '../common/checks';
import { formatTime } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';
import { SUPERVISION_COLOURS, supervisionOf } from './supervision';
import { COLOURS } from '../common/colours';

const REJECT_REASONS = [
  'not_eligible',
  'materials_invalid',
  'outside_competence',
  'duplicate_application',
  'false_information',
  'other',
];

type Dialog = 'approve' | 'reject' | 'supplement' | undefined;

interface SupplementValues {
  readonly chosen?: string[];
  readonly reasons?: Record<string, string>;
}

/** 一次性告知 as a checklist: every material of the item, each with its reason when ticked. */
export function supplementBody(
  values: SupplementValues,
  materials: readonly { code: string; name: string }[],
) {
  const chosen = new Set(values.chosen ?? []);
  return {
    items: materials
      .filter((material) => chosen.has(material.code))
      .map((material) => ({
        materialCode: material.code,
        materialName: material.name,
        reason: values.reasons?.[material.code]?.trim() ?? '',
      })),
  };
}

export function WorkItemPage() {
  const { t } = useTranslation();
  const { itemId = '' } = useParams();
  const { session } = useSession();
  const names = useNames();
  const catalogue = useCatalogue();
  const found = useLoad(() => call<WorkItemDetail>('approval', `/work-items/${itemId}`), [itemId]);
  const [dialog, setDialog] = useState<Dialog>();
  const [error, setError] = useState<unknown>();
  const [outcome, setOutcome] = useState<string>();
  const [form] = Form.useForm();
  const chosen = Form.useWatch('chosen', form) as string[] | undefined;
  const item = found.data;
  const catalogueItem = catalogue?.items.find((entry) => entry.code === item?.itemCode);
  const mine = item?.claimedBy === session?.user.id;

  async function act(path: string, body?: unknown) {
    setError(undefined);
    try {
      const answer = await call<{ document?: { number: string } | null }>(
        'approval',
        `/work-items/${itemId}/${path}`,
        { method: 'POST', body },
      );
      if (answer?.document?.number) setOutcome(`${t('reviewer.document')}: ${answer.document.number}`);
      setDialog(undefined);
      form.resetFields();
      found.reload();
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) showServerIssues(form, failure.issues);
    }
  }

  async function confirm() {
    const values = (await form.validateFields()) as Record<string, unknown>;
    if (dialog === 'approve')
      await act('approve', {
        ...(values['validUntil']
          ? { validUntil: (values['validUntil'] as { format: (f: string) => string }).format('YYYY-MM-DD') }
          : {}),
        ...(values['remarks'] ? { remarks: values['remarks'] } : {}),
        paperNoticeRequested: Boolean(values['paperNoticeRequested']),
      });
    if (dialog === 'reject') await act('reject', { reasonCode: values['reasonCode'], text: values['text'] });
    if (dialog === 'supplement')
      await act('supplement-requests', supplementBody(values, catalogueItem?.materials ?? []));
  }

  if (!item) return <PageError error={found.error} />;
  const light = supervisionOf(item);
  const open = item.state === 'open';
  return (
    <Flex vertical gap="middle">
      <PageError error={found.error} />
      {outcome && <Alert type="success" showIcon title={outcome} role="status" />}
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card
            title={
              <h1
                style={{ fontSize: 18, margin: 0 }}
              >{`${item.receiptNumber} · ${item.itemName ?? item.itemCode}`}</h1>
            }
            extra={<Tag color={SUPERVISION_COLOURS[light]}>{t(`reviewer.supervision.${light}`)}</Tag>}
          >
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('common.status')}>
                <Tag data-testid="item-state">{item.state}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('common.dueAt')}>{formatTime(item.dueAt)}</Descriptions.Item>
              <Descriptions.Item label={t('common.applicant')}>
                {item.case.applicant['name'] ?? item.case.applicant['companyName']}{' '}
                {item.case.applicant['idNumber']}
              </Descriptions.Item>
              <Descriptions.Item label={t('common.office')}>
                {names.office(item.case.acceptingOfficeId)}
              </Descriptions.Item>
              <Descriptions.Item label={t('reviewer.claimedBy')}>{item.claimedBy ?? '—'}</Descriptions.Item>
              {item.decision?.document && (
                <Descriptions.Item label={t('reviewer.document')}>
                  <strong data-testid="document-number">{item.decision.document.number}</strong>
                </Descriptions.Item>
              )}
            </Descriptions>
            <h2 style={{ fontSize: 16 }}>{t('reviewer.materials')}</h2>
            <ul>
              {item.case.materials.map((material) => (
                <li key={material.code}>{material.name}</li>
              ))}
              {item.case.missingMaterials.map((material) => (
                <li key={material.code}>
                  {material.name ?? material.code} <Tag color={COLOURS.blue}>{t('reviewer.missing')}</Tag>
                </li>
              ))}
            </ul>
            {item.autoChecks && item.autoChecks.length > 0 && (
              <>
                <h2 style={{ fontSize: 16 }}>{t('reviewer.autoChecks')}</h2>
                <ul>
                  {item.autoChecks.map((check) => (
                    <li key={check.check}>
                      {check.label ?? check.check}{' '}
                      <Tag color={check.passed ? COLOURS.green : COLOURS.red}>{String(check.passed)}</Tag>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Flex vertical gap="middle">
            <Card>
              <Flex gap="small" wrap>
                <Button onClick={found.reload}>{t('common.refresh')}</Button>
                {!item.claimedBy && open && (
                  <Button type="primary" onClick={() => void act('claim')}>
                    {t('reviewer.claim')}
                  </Button>
                )}
                {item.claimedBy && (mine || session?.user.supervisor) && open && (
                  <Button onClick={() => void act('release')}>{t('reviewer.release')}</Button>
                )}
                <Button type="primary" disabled={!mine || !open} onClick={() => setDialog('approve')}>
                  {t('reviewer.approve')}
                </Button>
                <Button danger disabled={!mine || !open} onClick={() => setDialog('reject')}>
                  {t('reviewer.reject')}
                </Button>
                <Button disabled={!mine || !open} onClick={() => setDialog('supplement')}>
                  {t('reviewer.requestSupplement')}
                </Button>
              </Flex>
            </Card>
            {!dialog && <PageError error={error} />}
            {item.supplementRequests.length > 0 && (
              <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('reviewer.history')}</h2>}>
                {item.supplementRequests.map((request) => (
                  <div key={request.requestId}>
                    #{request.round} {formatTime(request.requestedAt)} →{' '}
                    {request.answeredAt ? formatTime(request.answeredAt) : '…'}
                    <ul>
                      {request.items.map((entry) => (
                        <li
                          key={entry.materialCode}
                        >{`${entry.materialName ?? entry.materialCode}: ${entry.reason}`}</li>
                      ))}
                    </ul>
                  </div>
                ))}
              </Card>
            )}
          </Flex>
        </Col>
      </Row>
      <Modal
        open={dialog !== undefined}
        title={dialog ? t(`reviewer.${dialog === 'supplement' ? 'requestSupplement' : dialog}`) : ''}
        onCancel={() => {
          setDialog(undefined);
          setError(undefined);
        }}
        onOk={() => void confirm()}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        destroyOnHidden
        // Closes by 取消 or Esc only: a stray click beside it must not lose the reasons typed in.
        mask={{ closable: false }}
      >
        <Form form={form} layout="vertical" name={dialog ?? 'decision'} preserve={false}>
          {dialog === 'approve' && (
            <>
              <Form.Item name="validUntil" label={t('reviewer.validUntil')}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="remarks" label={t('reviewer.remarks')}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item
                name="paperNoticeRequested"
                label={t('reviewer.paperNotice')}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
            </>
          )}
          {dialog === 'reject' && (
            <>
              <Form.Item
                name="reasonCode"
                label={t('reviewer.reasonCode')}
                rules={[{ required: true, message: t('checks.required') }]}
              >
                <Select
                  options={REJECT_REASONS.map((value) => ({ value, label: t(`reviewer.reasons.${value}`) }))}
                />
              </Form.Item>
              <Form.Item
                name="text"
                label={t('reviewer.reasonText')}
                rules={[{ required: true, message: t('checks.required') }]}
              >
                <Input.TextArea rows={3} />
              </Form.Item>
            </>
          )}
          {dialog === 'supplement' && (
            <>
              <p>{t('reviewer.supplementHint')}</p>
              <Form.Item name="chosen" rules={[atLeastOne(t('checks.required'))]}>
                <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
                  {(catalogueItem?.materials ?? []).map((material) => (
                    <Checkbox key={material.code} value={material.code}>
                      {material.name}
                    </Checkbox>
                  ))}
                </Checkbox.Group>
              </Form.Item>
              {(catalogueItem?.materials ?? [])
                .filter((material) => chosen?.includes(material.code))
                .map((material) => (
                  <Form.Item
                    key={material.code}
                    name={['reasons', material.code]}
                    label={`${material.name} — ${t('common.reason')}`}
                    rules={[{ required: true, message: t('checks.required') }]}
                  >
                    <Input />
                  </Form.Item>
                ))}
            </>
          )}
          {dialog && <PageError error={error} />}
        </Form>
      </Modal>
    </Flex>
  );
}
