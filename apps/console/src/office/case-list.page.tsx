import { Button, Card, Checkbox, Flex, Form, Input, Select, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import { type CaseView } from '../api/types';
import { useNames } from '../common/catalogue';
import { idNumberRule } from '../common/checks';
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

const RECEIPT = /^\d{9}(?:\d{3})?-\d{8}-\d{4}$/;
const ID_NUMBER = /^\d{17}[\dXx]$/;

type Search = { receiptNumber: string } | { idNumber: string } | { applicantName: string };

/** What the clerk typed, as intake's search names it: a receipt number, an ID number or a name. */
export function searchOf(text: string): Search {
  const value = text.trim();
  if (RECEIPT.test(value)) return { receiptNumber: value };
  if (ID_NUMBER.test(value)) return { idNumber: value.toUpperCase() };
  return { applicantName: value };
}

/**
 * The office's cases, newest first, filtered by status and overdue on the server. A search (by
 * receipt number, applicant ID number or name) is intake's POST /cases/search, over all of the
 * office's cases: the ID number goes in the body, never in a URL.
 */
export function CaseListPage() {
  const { t } = useTranslation();
  const names = useNames();
  const [status, setStatus] = useState<string>();
  const [overdue, setOverdue] = useState(false);
  const [search, setSearch] = useState<Search>();
  const [searchForm] = Form.useForm<{ query: string }>();
  const list = useLoad(
    () =>
      search
        ? call<{ cases: CaseView[] }>('intake', '/cases/search', {
            method: 'POST',
            body: { ...search, limit: 100 },
          })
        : call<{ cases: CaseView[] }>('intake', '/cases', {
            query: { limit: 100, status, overdue: overdue ? true : undefined },
          }),
    [status, overdue, search],
  );
  const refused = list.error instanceof ApiError && list.error.issues.length > 0 ? list.error : undefined;
  useEffect(() => {
    // Whatever intake refused in the search is about the one search box.
    if (refused)
      searchForm.setFields([{ name: 'query', errors: refused.issues.map((issue) => issue.reason) }]);
  }, [refused, searchForm]);
  const rows = list.data?.cases ?? [];
  return (
    <Card title={<h1 style={{ fontSize: 20, margin: 0 }}>{t('cases.title')}</h1>}>
      <Flex vertical gap="middle">
        <Flex gap="small" wrap>
          <Form
            form={searchForm}
            name="search"
            layout="inline"
            onFinish={({ query }) => setSearch(query?.trim() ? searchOf(query) : undefined)}
          >
            <Form.Item
              name="query"
              rules={[
                {
                  // An ID number's check digit is checked here, as intake checks it.
                  validator: (rule: unknown, value: string | undefined) =>
                    value && 'idNumber' in searchOf(value)
                      ? idNumberRule(t).validator(rule, value)
                      : Promise.resolve(),
                },
              ]}
            >
              <Input.Search
                aria-label={t('cases.searchPlaceholder')}
                placeholder={t('cases.searchPlaceholder')}
                allowClear
                style={{ width: 320 }}
                onSearch={() => searchForm.submit()}
                onChange={(event) => {
                  if (!event.target.value) setSearch(undefined);
                }}
              />
            </Form.Item>
          </Form>
          <Select
            aria-label={t('common.status')}
            allowClear
            placeholder={t('common.status')}
            style={{ width: 180 }}
            disabled={search !== undefined}
            value={status}
            onChange={setStatus}
            options={STATUSES.map((value) => ({ value, label: label('status', value) }))}
          />
          <Checkbox
            disabled={search !== undefined}
            checked={overdue}
            onChange={(event) => setOverdue(event.target.checked)}
          >
            {t('cases.overdueOnly')}
          </Checkbox>
          <Button onClick={list.reload}>{t('common.refresh')}</Button>
          <Link to="/office/submit">
            <Button type="primary">{t('nav.submit')}</Button>
          </Link>
        </Flex>
        <PageError error={refused ? undefined : list.error} />
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
