import { Button, Card, Flex, Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { call } from '../api/client';
import { type WorkItem } from '../api/types';
import { formatTime } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';
import { SUPERVISION_COLOURS, supervisionOf } from './supervision';

const FILTERS = ['all', 'mine', 'dueSoon', 'overdue', 'escalated'] as const;
type Filter = (typeof FILTERS)[number];

/** The department's queue, most urgent due time first (the server's order), with 电子监察 lights. */
export function QueuePage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('all');
  const queue = useLoad(
    () =>
      call<{ items: WorkItem[] }>('approval', '/work-items', {
        query: { limit: 100, ...(filter === 'all' ? {} : { [filter]: true }) },
      }),
    [filter],
  );
  return (
    <Card title={<h1 style={{ fontSize: 20, margin: 0 }}>{t('reviewer.title')}</h1>}>
      <Flex vertical gap="middle">
        <Flex gap="small" wrap>
          <Segmented<Filter>
            aria-label={t('reviewer.title')}
            value={filter}
            onChange={setFilter}
            options={FILTERS.map((value) => ({ value, label: t(`reviewer.filters.${value}`) }))}
          />
          <Button onClick={queue.reload}>{t('common.refresh')}</Button>
        </Flex>
        <PageError error={queue.error} />
        <Table
          size="small"
          rowKey="id"
          loading={queue.loading}
          dataSource={queue.data?.items ?? []}
          pagination={false}
          columns={[
            {
              title: t('common.dueAt'),
              dataIndex: 'dueAt',
              render: (value: string, row) => {
                const light = supervisionOf(row);
                return (
                  <Flex gap="small" align="center">
                    <Tag color={SUPERVISION_COLOURS[light]} data-supervision={light}>
                      {t(`reviewer.supervision.${light}`)}
                    </Tag>
                    {formatTime(value)}
                  </Flex>
                );
              },
            },
            {
              title: t('common.receipt'),
              dataIndex: 'receiptNumber',
              render: (value: string, row) => <Link to={`/reviewer/items/${row.id}`}>{value}</Link>,
            },
            {
              title: t('common.item'),
              dataIndex: 'itemName',
              render: (name: string | null, row) => name ?? row.itemCode,
            },
            { title: t('common.status'), dataIndex: 'state', render: (state: string) => <Tag>{state}</Tag> },
            {
              title: t('reviewer.claimedBy'),
              dataIndex: 'claimedBy',
              render: (who: string | null) => who ?? '—',
            },
          ]}
        />
      </Flex>
    </Card>
  );
}
