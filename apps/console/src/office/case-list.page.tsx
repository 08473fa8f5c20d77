import { Button, Card, Checkbox, Flex, Input, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { call } from '../api/client';
import { type CaseView } from '../api/types';
import { useNames } from '../common/catalogue';
import { formatTime, label } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';

const STATUSES = [
  'submitted',
  'routed',
  'triage',
  'supplement_requested',
  'approved',
  'rejected',
  'in_delivery',
  'ready_for_pickup',
  'delivered',
  'collected',
];

/**
 * The office's cases, newest first. Status and overdue filter on the server; the search box
 * narrows the loaded page by receipt number or (masked) applicant name, as intake has no such
 * query parameter.
 */
export function CaseListPage() {
  const { t } = useTranslation();
  const names = useNames();
  const [status, setStatus] = useState<string>();
  const [overdue, setOverdue] = useState(false);
  const [search, setSearch] = useState('');
  const list = useLoad(
    () =>
      call<{ cases: CaseView[] }>('intake', '/cases', {
        query: { limit: 100, status, overdue: overdue ? true : undefined },
      }),
    [status, overdue],
  );
  const needle = search.trim();
  const rows = (list.data?.cases ?? []).filter(
    (row) =>
      !needle ||
      row.receiptNumber.includes(needle) ||
      (row.applicant['name'] ?? row.applicant['companyName'] ?? '').includes(needle),
  );
  return (
    <Card title={<h1 style={{ fontSize: 20, margin: 0 }}>{t('cases.title')}</h1>}>
      <Flex vertical gap="middle">
        <Flex gap="small" wrap>
          <Input.Search
            aria-label={t('cases.searchPlaceholder')}
            placeholder={t('cases.searchPlaceholder')}
            allowClear
            style={{ width: 280 }}
            onSearch={setSearch}
            onChange={(event) => setSearch(event.target.value)}
          />
          <Select
            aria-label={t('common.status')}
            allowClear
            placeholder={t('common.status')}
            style={{ width: 180 }}
            value={status}
            onChange={setStatus}
            options={STATUSES.map((value) => ({ value, label: label('status', value) }))}
          />
          <Checkbox checked={overdue} onChange={(event) => setOverdue(event.target.checked)}>
            {t('cases.overdueOnly')}
          </Checkbox>
          <Button onClick={list.reload}>{t('common.refresh')}</Button>
          <Link to="/office/submit">
            <Button type="primary">{t('nav.submit')}</Button>
          </Link>
        </Flex>
        <PageError error={list.error} />
        <Table
          size="small"
          rowKey="caseId"
          loading={list.loading}
          dataSource={rows}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('common.receipt'),
              dataIndex: 'receiptNumber',
              render: (value: string, row) => <Link to={`/office/cases/${row.caseId}`}>{value}</Link>,
            },
            { title: t('common.item'), dataIndex: 'itemCode', render: (code: string) => names.item(code) },
            {
              title: t('common.applicant'),
              key: 'applicant',
              render: (_value, row) => row.applicant['name'] ?? row.applicant['companyName'],
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (value: string) => <Tag>{label('status', value)}</Tag>,
            },
            { title: t('common.submittedAt'), dataIndex: 'submittedAt', render: formatTime },
            { title: t('common.dueAt'), dataIndex: 'slaDueAt', render: formatTime },
          ]}
        />
      </Flex>
    </Card>
  );
}
