import { Alert, Button, Card, Descriptions, Flex, Form, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../api/client';
import { useCatalogue, useNames } from '../common/catalogue';
import { showServerIssues } from '../common/checks';
import { formatTime } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';

interface RuleVersion {
  readonly ruleId: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly basis: string | null;
  readonly departmentType: string | null;
  readonly departmentId: string | null;
  readonly note: string;
  readonly createdBy?: { readonly id?: string; readonly role?: string } | null;
  readonly createdAt?: string;
}

interface RuleRow {
  readonly ruleId: string;
  readonly itemCode: string;
  readonly region: string | null;
  readonly inForce: RuleVersion | null;
  readonly latestVersion: number;
}

interface DryRunAnswer {
  readonly outcome: 'routed' | 'unroutable';
  readonly rule?: { readonly ruleId: string; readonly version: number };
  readonly assignments?: readonly { readonly departmentId: string; readonly role: string }[];
  readonly crossDistrict?: boolean;
  readonly slaDueAt?: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly explanation: { readonly steps: readonly string[] };
}

interface DryRunForm {
  readonly itemCode: string;
  readonly officeId: string;
  readonly householdDistrict: string;
}

/** Every version of one rule, oldest first: when it applied, what it chose, who added it and why. */
function RuleHistory({ ruleId }: { readonly ruleId: string }) {
  const { t } = useTranslation();
  const names = useNames();
  const history = useLoad(
    () => call<{ versions: RuleVersion[] }>('routing', `/rules/${encodeURIComponent(ruleId)}`),
    [ruleId],
  );
  return (
    <>
      <PageError error={history.error} />
      <Table
        size="small"
        rowKey="version"
        loading={history.loading}
        dataSource={history.data?.versions ?? []}
        pagination={false}
        data-testid={`rule-history-${ruleId}`}
        columns={[
          { title: t('operator.version'), dataIndex: 'version' },
          { title: t('rules.from'), dataIndex: 'effectiveFrom', render: formatTime },
          {
            title: t('rules.to'),
            dataIndex: 'effectiveTo',
            render: (value: string | null) => (value ? formatTime(value) : t('rules.openEnded')),
          },
          { title: t('operator.basis'), dataIndex: 'basis' },
          {
            title: t('common.department'),
            key: 'department',
            render: (_value, row: RuleVersion) =>
              row.departmentId ? names.department(row.departmentId) : (row.departmentType ?? ''),
          },
          { title: t('rules.note'), dataIndex: 'note' },
        ]}
      />
    </>
  );
}

/** "Where would this case go?": routing's dry run, the same decision the consumer makes, stored nowhere. */
function DryRun() {
  const { t } = useTranslation();
  const catalogue = useCatalogue();
  const names = useNames();
  const [form] = Form.useForm<DryRunForm>();
  const [answer, setAnswer] = useState<DryRunAnswer>();
  const [error, setError] = useState<unknown>();

  async function run(values: DryRunForm) {
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(
        await call<DryRunAnswer>('routing', '/routing/dry-run', {
          method: 'POST',
          body: {
            itemCode: values.itemCode,
            officeId: values.officeId,
            applicant: { kind: 'person', householdDistrict: values.householdDistrict },
          },
        }),
      );
    } catch (failure) {
      // The applicant's district is this form's own field name; routing names it applicant.*.
      const issues =
        failure instanceof ApiError
          ? failure.issues.map((issue) =>
              issue.field === 'applicant.householdDistrict'
                ? { ...issue, field: 'householdDistrict' }
                : issue,
            )
          : [];
      const unplaced = showServerIssues(form, issues);
      if (!(failure instanceof ApiError) || failure.status !== 400 || unplaced.length > 0) setError(failure);
    }
  }

  const select = (options: { value: string; label: string }[]) => (
    <Select showSearch optionFilterProp="label" options={options} />
  );
  const required = [{ required: true, message: t('checks.required') }];
  return (
    <Card type="inner" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('rules.dryRun')}</h2>}>
      <Form form={form} layout="vertical" name="dryRun" onFinish={(values) => void run(values)}>
        <Form.Item name="itemCode" label={t('common.item')} rules={required}>
          {select(
            (catalogue?.items ?? []).map((item) => ({
              value: item.code,
              label: `${item.name} · ${item.code}`,
            })),
          )}
        </Form.Item>
        <Form.Item name="officeId" label={t('common.office')} rules={required}>
          {select((catalogue?.offices ?? []).map((office) => ({ value: office.id, label: office.name })))}
        </Form.Item>
        <Form.Item name="householdDistrict" label={t('rules.householdDistrict')} rules={required}>
          {select(
            (catalogue?.districts ?? []).map((district) => ({ value: district.code, label: district.name })),
          )}
        </Form.Item>
        <PageError error={error} />
        <Button type="primary" htmlType="submit">
          {t('rules.dryRunSubmit')}
        </Button>
      </Form>
      {answer && (
        <Descriptions column={1} size="small" bordered style={{ marginTop: 16 }} data-testid="dry-run-answer">
          <Descriptions.Item label={t('rules.outcome')}>
            <Tag data-testid="dry-run-outcome">{t(`rules.outcomes.${answer.outcome}`)}</Tag>
            {answer.rule ? ` ${answer.rule.ruleId} v${answer.rule.version}` : ''}
          </Descriptions.Item>
          {answer.assignments && (
            <Descriptions.Item label={t('common.department')}>
              {answer.assignments.map((assignment) => names.department(assignment.departmentId)).join('、')}
              {answer.crossDistrict ? ` · ${t('rules.crossDistrict')}` : ''}
            </Descriptions.Item>
          )}
          {answer.slaDueAt && (
            <Descriptions.Item label={t('common.dueAt')}>{formatTime(answer.slaDueAt)}</Descriptions.Item>
          )}
          {answer.detail && <Descriptions.Item label={t('common.reason')}>{answer.detail}</Descriptions.Item>}
          <Descriptions.Item label={t('rules.steps')}>
            <ol style={{ margin: 0, paddingInlineStart: 20 }}>
              {answer.explanation.steps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

/** The rules in force with each rule's history on demand, and a dry run against them. */
export function RoutingRules() {
  const { t } = useTranslation();
  const names = useNames();
  const rules = useLoad(() => call<{ rules: RuleRow[] }>('routing', '/rules'), []);
  return (
    <Flex vertical gap="middle">
      <PageError error={rules.error} />
      <Alert type="info" title={t('rules.hint')} />
      <Table
        size="small"
        rowKey="ruleId"
        loading={rules.loading}
        dataSource={rules.data?.rules ?? []}
        pagination={{ pageSize: 20 }}
        expandable={{
          expandedRowRender: (row) => <RuleHistory ruleId={row.ruleId} />,
          columnTitle: t('rules.history'),
        }}
        columns={[
          { title: t('operator.ruleId'), dataIndex: 'ruleId' },
          { title: t('common.item'), dataIndex: 'itemCode', render: (code: string) => names.item(code) },
          {
            title: t('operator.version'),
            key: 'version',
            render: (_value, row: RuleRow) =>
              row.inForce ? `v${row.inForce.version} / v${row.latestVersion}` : t('rules.lapsed'),
          },
          {
            title: t('operator.basis'),
            key: 'basis',
            render: (_value, row: RuleRow) => row.inForce?.basis ?? '',
          },
          {
            title: t('common.department'),
            key: 'department',
            render: (_value, row: RuleRow) =>
              row.inForce?.departmentId
                ? names.department(row.inForce.departmentId)
                : (row.inForce?.departmentType ?? ''),
          },
        ]}
      />
      <DryRun />
    </Flex>
  );
}
