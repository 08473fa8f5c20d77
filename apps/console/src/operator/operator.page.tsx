import { Button, Card, Flex, Form, Input, InputNumber, Select, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call, type ServiceName } from '../api/client';
import { type TriageEntry, type WorkItem } from '../api/types';
import { SUPERVISION_COLOURS, supervisionOf } from '../reviewer/supervision';
import { useCatalogue, useNames } from '../common/catalogue';
import { showServerIssues } from '../common/checks';
import { formatTime } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';
import { COLOURS } from '../common/colours';
import { RoutingRules } from './routing-rules';

// Each consumer's dead letters live in its service: the topics it consumes.
const CONSUMED: Record<ServiceName, readonly string[]> = {
  intake: [
    'case.routed',
    'case.unroutable',
    'case.supplement-requested',
    'case.decided',
    'case.sla',
    'delivery.updated',
    'case.rated',
    'case.submitted',
    'case.supplemented',
  ],
  routing: ['case.submitted', 'case.decided'],
  approval: ['case.routed', 'case.supplemented'],
  delivery: ['case.decided'],
};

interface DeadLetterRow {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly info?: {
    readonly errorClass: string;
    readonly errorMessage: string;
    readonly attempts: number;
    readonly handler: string;
  };
}

function TriageQueue() {
  const { t } = useTranslation();
  const names = useNames();
  const catalogue = useCatalogue();
  const queue = useLoad(
    () => call<{ items: TriageEntry[] }>('routing', '/triage', { query: { limit: 100 } }),
    [],
  );
  const [chosen, setChosen] = useState<TriageEntry>();
  const [error, setError] = useState<unknown>();
  const [form] = Form.useForm();
  const departments = (catalogue?.departments ?? []).map((department) => ({
    value: department.id,
    label: `${department.name} (${department.id})`,
  }));
  const knownItem = chosen && catalogue?.items.some((item) => item.code === chosen.itemCode);

  async function assign(values: {
    departmentId: string;
    parallelDepartmentIds?: string[];
    reason: string;
    timeLimitDays?: number;
  }) {
    if (!chosen) return;
    setError(undefined);
    try {
      await call('routing', `/triage/${chosen.caseId}/assign`, {
        method: 'POST',
        body: { ...values, parallelDepartmentIds: values.parallelDepartmentIds ?? [] },
      });
      setChosen(undefined);
      form.resetFields();
      queue.reload();
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) showServerIssues(form, failure.issues);
    }
  }

  return (
    <Flex vertical gap="middle">
      <Button style={{ alignSelf: 'flex-start' }} onClick={queue.reload}>
        {t('common.refresh')}
      </Button>
      <PageError error={queue.error} />
      <Table
        size="small"
        rowKey="caseId"
        loading={queue.loading}
        dataSource={queue.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('common.item'),
            dataIndex: 'itemCode',
            render: (code: string) => `${names.item(code)} (${code})`,
          },
          { title: t('common.office'), dataIndex: 'officeId', render: (id: string) => names.office(id) },
          { title: t('common.reason'), dataIndex: 'reason', render: (reason: string) => <Tag>{reason}</Tag> },
          { title: t('common.submittedAt'), dataIndex: 'queuedAt', render: formatTime },
          {
            title: t('common.actions'),
            key: 'assign',
            render: (_value, row) => (
              <Button type="primary" size="small" data-case={row.caseId} onClick={() => setChosen(row)}>
                {t('operator.assign')}
              </Button>
            ),
          },
        ]}
      />
      {chosen && (
        <Card type="inner" title={`${t('operator.assign')} · ${names.item(chosen.itemCode)}`}>
          <Form form={form} layout="vertical" name="triage" onFinish={(values) => void assign(values)}>
            <Form.Item
              name="departmentId"
              label={t('operator.departmentId')}
              rules={[{ required: true, message: t('checks.required') }]}
            >
              <Select showSearch optionFilterProp="label" options={departments} />
            </Form.Item>
            <Form.Item name="parallelDepartmentIds" label={t('operator.parallel')}>
              <Select mode="multiple" showSearch optionFilterProp="label" options={departments} />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('common.reason')}
              rules={[{ required: true, message: t('checks.required') }]}
            >
              <Input.TextArea rows={2} />
            </Form.Item>
            {!knownItem && (
              <Form.Item
                name="timeLimitDays"
                label={t('operator.timeLimitDays')}
                rules={[{ required: true, message: t('checks.required') }]}
              >
                <InputNumber min={1} max={365} />
              </Form.Item>
            )}
            <PageError error={error} />
            <Button type="primary" htmlType="submit">
              {t('common.submit')}
            </Button>
          </Form>
        </Card>
      )}
    </Flex>
  );
}

function DeadLetters() {
  const { t } = useTranslation();
  const [service, setService] = useState<ServiceName>('approval');
  const [topic, setTopic] = useState<string>('case.routed');
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const letters = useLoad(
    () =>
      call<{ deadLetters: DeadLetterRow[] }>(service, '/ops/dead-letters', { query: { topic, limit: 100 } }),
    [service, topic],
  );
  async function replay(body: Record<string, unknown>) {
    setError(undefined);
    try {
      const answer = await call<{ replayed: unknown[] }>(service, '/ops/dead-letters/replay', {
        method: 'POST',
        body: { topic, ...body },
      });
      setNotice(t('operator.replayed', { count: answer.replayed.length }));
      letters.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Flex vertical gap="middle">
      <Flex gap="small" wrap>
        <Select
          aria-label={t('operator.service')}
          value={service}
          style={{ width: 140 }}
          onChange={(value: ServiceName) => {
            setService(value);
            setTopic(CONSUMED[value][0] ?? '');
          }}
          options={(Object.keys(CONSUMED) as ServiceName[]).map((value) => ({ value, label: value }))}
        />
        <Select
          aria-label={t('operator.topic')}
          value={topic}
          style={{ width: 240 }}
          onChange={setTopic}
          options={CONSUMED[service].map((value) => ({ value, label: value }))}
        />
        <Button onClick={letters.reload}>{t('common.refresh')}</Button>
        <Button
          danger
          disabled={!letters.data?.deadLetters.length}
          onClick={() => void replay({ all: true })}
        >
          {t('operator.replayAll')}
        </Button>
      </Flex>
      {notice && <Tag color={COLOURS.green}>{notice}</Tag>}
      <PageError error={error ?? letters.error} />
      <Table
        size="small"
        rowKey={(row) => `${row.partition}/${row.offset}`}
        loading={letters.loading}
        dataSource={letters.data?.deadLetters ?? []}
        pagination={false}
        columns={[
          { title: 'partition/offset', key: 'at', render: (_value, row) => `${row.partition}/${row.offset}` },
          { title: t('common.submittedAt'), dataIndex: 'timestamp', render: formatTime },
          { title: 'handler', key: 'handler', render: (_value, row) => row.info?.handler ?? '—' },
          {
            title: t('common.reason'),
            key: 'error',
            render: (_value, row) => (row.info ? `${row.info.errorClass}: ${row.info.errorMessage}` : '—'),
          },
          {
            title: t('common.actions'),
            key: 'replay',
            render: (_value, row) => (
              <Button
                size="small"
                onClick={() => void replay({ partition: row.partition, offset: row.offset })}
              >
                {t('operator.replay')}
              </Button>
            ),
          },
        ]}
      />
    </Flex>
  );
}

function Overdue() {
  const { t } = useTranslation();
  const names = useNames();
  const overdue = useLoad(
    () =>
      Promise.all([
        call<{ items: WorkItem[] }>('approval', '/work-items', { query: { overdue: true, limit: 100 } }),
        call<{ items: WorkItem[] }>('approval', '/work-items', { query: { escalated: true, limit: 100 } }),
      ]).then(([late, escalated]) => {
        const all = new Map([...late.items, ...escalated.items].map((item) => [item.id, item]));
        return [...all.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      }),
    [],
  );
  return (
    <Flex vertical gap="middle">
      <PageError error={overdue.error} />
      <Table
        size="small"
        rowKey="id"
        loading={overdue.loading}
        dataSource={overdue.data ?? []}
        pagination={false}
        columns={[
          {
            title: t('common.dueAt'),
            dataIndex: 'dueAt',
            render: (value: string, row) => {
              const light = supervisionOf(row);
              return (
                <span>
                  <Tag color={SUPERVISION_COLOURS[light]}>{t(`reviewer.supervision.${light}`)}</Tag>{' '}
                  {formatTime(value)}
                </span>
              );
            },
          },
          { title: t('common.receipt'), dataIndex: 'receiptNumber' },
          { title: t('common.item'), dataIndex: 'itemCode', render: (code: string) => names.item(code) },
          {
            title: t('common.department'),
            dataIndex: 'departmentId',
            render: (id: string) => names.department(id),
          },
        ]}
      />
    </Flex>
  );
}

/** Operators and supervisors: triage, dead letters, overdue cases, rules, dashboards. */
export function OperatorPage() {
  const { t } = useTranslation();
  const settings = useLoad(() => call<{ grafanaUrl: string }>('console', '/settings'), []);
  return (
    <Card
      title={<h1 style={{ fontSize: 20, margin: 0 }}>{t('nav.triage')}</h1>}
      extra={
        settings.data && (
          <a href={settings.data.grafanaUrl} target="_blank" rel="noreferrer">
            {t('operator.dashboards')}
          </a>
        )
      }
    >
      <Tabs
        items={[
          { key: 'triage', label: t('operator.triage'), children: <TriageQueue /> },
          { key: 'dead-letters', label: t('operator.deadLetters'), children: <DeadLetters /> },
          { key: 'overdue', label: t('operator.overdue'), children: <Overdue /> },
          { key: 'rules', label: t('operator.rules'), children: <RoutingRules /> },
        ]}
      />
    </Card>
  );
}
