import { Alert, Button, Card, Checkbox, Flex, Form, Input, Rate, Select, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../api/client';
import { type Tracking } from '../api/types';
import { type Language, rememberLanguage } from '../i18n/i18n';
import { useCatalogue, useNames } from '../common/catalogue';
import { chosen, phoneLast4Rule, showServerIssues } from '../common/checks';
import { formatTime, label, stageLabel } from '../common/format';
import { PageError } from '../common/page-error';
import { COLOURS } from '../common/colours';

const TAGS = ['fast', 'friendly', 'clear_guidance', 'one_visit', 'slow', 'unclear', 'repeated_visits'];
const COMPLETED = ['delivered', 'collected', 'rejected'];
// A door or post delivery can become a pickup once the result exists and until it leaves the
// dispatch desk; delivery knows which, and answers 409 once it has left.
const SWITCHABLE = ['approved', 'in_delivery'];

interface Proof {
  readonly receipt: string;
  readonly phoneLast4: string;
}

/** The applicant's own page (no sign-in, phone first): track by receipt + phone ending, then rate. */
export function TrackPage({ onLanguage }: { readonly onLanguage: (language: Language) => void }) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const [proof, setProof] = useState<Proof>();
  const [tracking, setTracking] = useState<Tracking>();
  const [error, setError] = useState<unknown>();
  const [rated, setRated] = useState(false);
  const [trackForm] = Form.useForm<Proof>();
  const [rateForm] = Form.useForm();
  const [switchForm] = Form.useForm<{ officeId: string }>();
  const [switched, setSwitched] = useState<string>();
  const [switchError, setSwitchError] = useState<unknown>();
  const windows = (useCatalogue()?.offices ?? []).filter((office) => office.pickupWindow);
  const levels = t('track.rateLevels', { returnObjects: true }) as string[];

  async function track(values: Proof) {
    setError(undefined);
    const body = { receipt: values.receipt.trim(), phoneLast4: values.phoneLast4.trim() };
    try {
      setTracking(await call<Tracking>('intake', '/cases/track', { method: 'POST', body }));
      setProof(body);
      setSwitched(undefined);
      setSwitchError(undefined);
    } catch (failure) {
      setTracking(undefined);
      setError(
        failure instanceof ApiError && failure.status === 404 ? new Error(t('track.notFound')) : failure,
      );
      if (failure instanceof ApiError) showServerIssues(trackForm, failure.issues);
    }
  }

  async function rate(values: { score: number; comment?: string; tags?: string[] }) {
    if (!proof) return;
    setError(undefined);
    try {
      await call('intake', '/cases/rating', {
        method: 'POST',
        body: {
          ...proof,
          score: values.score,
          comment: values.comment?.trim() || undefined,
          tags: values.tags ?? [],
          channel: 'app',
        },
      });
      setRated(true);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) showServerIssues(rateForm, failure.issues);
    }
  }

  async function switchToPickup(values: { officeId: string }) {
    if (!proof) return;
    setSwitchError(undefined);
    try {
      await call('delivery', '/parcels/switch-to-pickup', {
        method: 'POST',
        body: { ...proof, officeId: values.officeId },
      });
      setSwitched(values.officeId);
    } catch (failure) {
      if (!(failure instanceof ApiError)) {
        setSwitchError(failure);
        return;
      }
      // The office is this form's field; the receipt and phone ending are the tracking form's.
      const elsewhere = showServerIssues(switchForm, failure.issues);
      const unplaced = showServerIssues(trackForm, elsewhere);
      if (failure.status === 404) setSwitchError(new Error(t('track.switchNoParcel')));
      else if (failure.status === 409) setSwitchError(new Error(t('track.switchTooLate')));
      else if (failure.status !== 400 || unplaced.length > 0) setSwitchError(failure);
    }
  }

  const next: Language = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <main id="main" className="applicant">
      <Flex vertical gap="middle">
        <Flex justify="space-between" align="center">
          <Typography.Title level={1}>{t('track.title')}</Typography.Title>
          <Button
            type="link"
            lang={next}
            onClick={() => {
              rememberLanguage(next);
              void i18n.changeLanguage(next);
              onLanguage(next);
            }}
          >
            {t('app.language')}
          </Button>
        </Flex>
        <Card>
          <Form form={trackForm} layout="vertical" name="track" onFinish={(values) => void track(values)}>
            <Form.Item
              name="receipt"
              label={t('track.receipt')}
              rules={[{ required: true, message: t('checks.required') }]}
            >
              <Input autoComplete="off" inputMode="numeric" />
            </Form.Item>
            <Form.Item
              name="phoneLast4"
              label={t('track.phoneLast4')}
              rules={[{ required: true, message: t('checks.required') }, phoneLast4Rule(t)]}
            >
              <Input autoComplete="off" inputMode="numeric" maxLength={4} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block>
              {t('track.query')}
            </Button>
          </Form>
        </Card>
        <PageError error={error} />
        {tracking && (
          <Card title={`${names.item(tracking.itemCode)} · ${tracking.receiptNumber}`}>
            <Flex vertical gap="small">
              <div>
                <Tag color={COLOURS.blue} data-testid="tracking-status">
                  {label('status', tracking.status)}
                </Tag>
                {tracking.dueAt && <span>{t('track.due', { due: formatTime(tracking.dueAt) })}</span>}
              </div>
              <Steps
                orientation="vertical"
                size="small"
                current={tracking.stages.length - 1}
                items={tracking.stages.map((stage) => ({
                  title: stageLabel(stage.stage),
                  content: formatTime(stage.at),
                }))}
              />
            </Flex>
          </Card>
        )}
        {tracking && tracking.delivery !== 'pickup' && SWITCHABLE.includes(tracking.status) && (
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('track.switch')}</h2>}>
            {switched ? (
              <Alert
                type="success"
                showIcon
                role="status"
                title={t('track.switched', { office: names.office(switched) })}
              />
            ) : (
              <Form
                form={switchForm}
                layout="vertical"
                name="switch"
                onFinish={(values) => void switchToPickup(values)}
              >
                <Typography.Paragraph>{t('track.switchHint')}</Typography.Paragraph>
                <Form.Item
                  name="officeId"
                  label={t('track.switchOffice')}
                  rules={[{ required: true, message: t('checks.required') }]}
                >
                  <Select
                    showSearch
                    optionFilterProp="label"
                    options={windows.map((office) => ({ value: office.id, label: office.name }))}
                  />
                </Form.Item>
                <PageError error={switchError} />
                <Button htmlType="submit" block>
                  {t('track.switchSubmit')}
                </Button>
              </Form>
            )}
          </Card>
        )}
        {tracking && COMPLETED.includes(tracking.status) && (
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('track.rate')}</h2>}>
            {rated ? (
              <Alert type="success" showIcon role="status" title={t('track.rated')} />
            ) : (
              <Form form={rateForm} layout="vertical" name="rating" onFinish={(values) => void rate(values)}>
                <Form.Item name="score" label={t('track.rate')} rules={[chosen(t('checks.required'))]}>
                  <Rate tooltips={levels} />
                </Form.Item>
                <Form.Item name="tags">
                  <Checkbox.Group
                    options={TAGS.map((value) => ({ value, label: t(`track.tags.${value}`) }))}
                  />
                </Form.Item>
                <Form.Item name="comment" label={t('track.comment')}>
                  <Input.TextArea rows={3} maxLength={500} />
                </Form.Item>
                <Button type="primary" htmlType="submit" block>
                  {t('common.submit')}
                </Button>
              </Form>
            )}
          </Card>
        )}
      </Flex>
    </main>
  );
}
