import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../api/client';
import { type Parcel } from '../api/types';
import { useNames } from '../common/catalogue';
import { showServerIssues } from '../common/checks';
import { formatTime, label } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';
import { SignaturePad } from './signature-pad';

const FAILURE_REASONS = [
  'not_home',
  'refused',
  'wrong_address',
  'unreachable_by_phone',
  'identity_check_failed',
  'other',
];

type Dialog = { kind: 'deliver' | 'fail' | 'reschedule' | 'pickup'; parcel?: Parcel } | undefined;

// No document store is wired to the console yet: the drawn signature is referenced by a name the
// device makes, so the custody record points at what was captured.
const signatureRef = (what: string) =>
  `signatures/console/${new Date().toISOString().slice(0, 10)}/${what}-${crypto.randomUUID()}.png`;

/** Parcels still to do first, the next agreed attempt first among them. */
function byUrgency(a: Parcel, b: Parcel): number {
  return (a.nextAttemptAt ?? '9999').localeCompare(b.nextAttemptAt ?? '9999');
}

/** The courier's phone: parcels due, 回执单 with a signature, out for delivery, failed or delivered. */
export function CourierPage() {
  const { t } = useTranslation();
  const names = useNames();
  const list = useLoad(
    () => call<{ parcels: Parcel[] }>('delivery', '/courier/parcels', { query: { limit: 100 } }),
    [],
  );
  const [selected, setSelected] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog>();
  const [signed, setSigned] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [phone, setPhone] = useState<Record<string, string>>({});
  const [form] = Form.useForm();
  const parcels = [...(list.data?.parcels ?? [])].sort(byUrgency);

  async function act(path: string, body?: unknown): Promise<unknown> {
    setError(undefined);
    try {
      const answer = await call<unknown>('delivery', `/courier/${path}`, { method: 'POST', body });
      setDialog(undefined);
      setSigned(false);
      form.resetFields();
      list.reload();
      return answer;
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) showServerIssues(form, failure.issues);
      return undefined;
    }
  }

  async function confirm() {
    if (!dialog) return;
    const values = (await form.validateFields()) as Record<string, unknown>;
    const when = values['nextAttemptAt'] as { toISOString: () => string } | undefined;
    if (dialog.kind === 'pickup') {
      const receipt = (await act('pickups', {
        parcelIds: selected,
        signatureRef: signatureRef('pickup'),
      })) as { receiptNumber?: string; number?: string } | undefined;
      if (receipt) {
        setNotice(t('courier.receiptNumber', { number: receipt.receiptNumber ?? receipt.number ?? '' }));
        setSelected([]);
      }
    }
    const id = dialog.parcel?.parcelId;
    if (dialog.kind === 'fail')
      await act(`parcels/${id}/failed-attempts`, {
        reason: values['reason'],
        ...(when ? { nextAttemptAt: when.toISOString() } : {}),
      });
    if (dialog.kind === 'reschedule')
      await act(`parcels/${id}/reschedule`, { nextAttemptAt: when?.toISOString() });
    if (dialog.kind === 'deliver') {
      const value = String(values['proofValue'] ?? '').trim();
      await act(`parcels/${id}/delivered`, {
        proof:
          values['proofKind'] === 'id_last4'
            ? { kind: 'id_last4', idLast4: value }
            : { kind: 'pickup_code', code: value },
        signatureRef: signatureRef('delivery'),
      });
    }
  }

  async function reveal(parcel: Parcel) {
    const detail = await call<Parcel>('delivery', `/courier/parcels/${parcel.parcelId}`);
    const clear = detail.recipient.phone;
    if (clear) setPhone((known) => ({ ...known, [parcel.parcelId]: clear }));
  }

  const needsSignature = dialog?.kind === 'pickup' || dialog?.kind === 'deliver';
  return (
    <Flex vertical gap="small">
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('courier.title')}
      </Typography.Title>
      <Flex gap="small">
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
        <Button type="primary" disabled={selected.length === 0} onClick={() => setDialog({ kind: 'pickup' })}>
          {`${t('courier.pickUp')} (${selected.length})`}
        </Button>
      </Flex>
      {notice && <Alert type="success" showIcon role="status" title={notice} />}
      {!dialog && <PageError error={error ?? list.error} />}
      {parcels.length === 0 && !list.loading && <Alert type="info" title={t('courier.empty')} />}
      {parcels.map((parcel) => (
        <Card
          key={parcel.parcelId}
          size="small"
          data-parcel={parcel.trackingNumber}
          data-parcel-id={parcel.parcelId}
          title={
            <Flex justify="space-between" align="center">
              <span>{parcel.trackingNumber}</span>
              <Tag data-testid="parcel-state">{label('courier.states', parcel.state)}</Tag>
            </Flex>
          }
        >
          <Flex vertical gap={4}>
            <span>{names.item(parcel.itemCode)}</span>
            <span>
              {parcel.recipient.name} ·{' '}
              {phone[parcel.parcelId] ? (
                <a href={`tel:${phone[parcel.parcelId]}`}>{phone[parcel.parcelId]}</a>
              ) : (
                parcel.recipient.phoneMasked
              )}
            </span>
            <span>{[parcel.address?.street, parcel.address?.detail].filter(Boolean).join(' ')}</span>
            {parcel.attempts > 0 && (
              <span>
                {t('courier.attempts', { count: parcel.attempts })}
                {parcel.failureReason ? ` · ${label('courier.failureReasons', parcel.failureReason)}` : ''}
                {parcel.nextAttemptAt ? ` · ${formatTime(parcel.nextAttemptAt)}` : ''}
              </span>
            )}
            <Flex gap="small" wrap>
              {parcel.state === 'ready_for_dispatch' && (
                <Checkbox
                  checked={selected.includes(parcel.parcelId)}
                  onChange={(event) =>
                    setSelected((now) =>
                      event.target.checked
                        ? [...now, parcel.parcelId]
                        : now.filter((id) => id !== parcel.parcelId),
                    )
                  }
                >
                  {t('courier.select')}
                </Checkbox>
              )}
              {['picked_up', 'rescheduled'].includes(parcel.state) && (
                <Button
                  type="primary"
                  onClick={() => void act(`parcels/${parcel.parcelId}/out-for-delivery`)}
                >
                  {t('courier.goOut')}
                </Button>
              )}
              {parcel.state === 'out_for_delivery' && (
                <>
                  <Button type="primary" onClick={() => setDialog({ kind: 'deliver', parcel })}>
                    {t('courier.delivered')}
                  </Button>
                  <Button danger onClick={() => setDialog({ kind: 'fail', parcel })}>
                    {t('courier.failed')}
                  </Button>
                </>
              )}
              {parcel.state === 'delivery_failed' && (
                <Button onClick={() => setDialog({ kind: 'reschedule', parcel })}>
                  {t('courier.reschedule')}
                </Button>
              )}
              {!['delivered', 'collected'].includes(parcel.state) && (
                <Button type="link" onClick={() => void reveal(parcel)}>
                  {t('courier.call')}
                </Button>
              )}
            </Flex>
          </Flex>
        </Card>
      ))}
      <Modal
        open={dialog !== undefined}
        title={
          dialog
            ? t(
                `courier.${dialog.kind === 'pickup' ? 'pickUp' : dialog.kind === 'fail' ? 'failed' : dialog.kind === 'deliver' ? 'delivered' : 'reschedule'}`,
              )
            : ''
        }
        onCancel={() => {
          setDialog(undefined);
          setError(undefined);
        }}
        onOk={() => void confirm()}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: needsSignature && !signed }}
        destroyOnHidden
        // A press beside the dialog must not throw away a drawn signature: a finger stroke that
        // starts on the mask (or lands there while the dialog still zooms in) closed it before.
        mask={{ closable: false }}
      >
        <Form
          form={form}
          layout="vertical"
          name={dialog?.kind ?? 'courier'}
          preserve={false}
          initialValues={{ proofKind: 'pickup_code' }}
        >
          {dialog?.kind === 'fail' && (
            <Form.Item
              name="reason"
              label={t('common.reason')}
              rules={[{ required: true, message: t('checks.required') }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={FAILURE_REASONS.map((value) => ({
                  value,
                  label: t(`courier.failureReasons.${value}`),
                }))}
              />
            </Form.Item>
          )}
          {(dialog?.kind === 'fail' || dialog?.kind === 'reschedule') && (
            <Form.Item
              name="nextAttemptAt"
              label={t('courier.nextAttemptAt')}
              rules={dialog.kind === 'reschedule' ? [{ required: true, message: t('checks.required') }] : []}
            >
              <DatePicker showTime />
            </Form.Item>
          )}
          {dialog?.kind === 'deliver' && (
            <>
              <Form.Item name="proofKind" label={t('courier.proofKind')}>
                <Radio.Group
                  options={[
                    { value: 'pickup_code', label: t('courier.proofCode') },
                    { value: 'id_last4', label: t('courier.proofId') },
                  ]}
                />
              </Form.Item>
              <Form.Item
                name="proofValue"
                label={t('courier.proofValue')}
                rules={[{ required: true, message: t('checks.required') }]}
              >
                <Input maxLength={6} autoComplete="off" />
              </Form.Item>
            </>
          )}
          {needsSignature && <SignaturePad onChange={setSigned} />}
          {dialog && <PageError error={error} />}
        </Form>
      </Modal>
    </Flex>
  );
}
