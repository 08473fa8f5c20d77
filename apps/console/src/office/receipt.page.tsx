import { Button, Descriptions, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { call } from '../api/client';
import { type CaseView } from '../api/types';
import { useCatalogue, useNames } from '../common/catalogue';
import { formatTime } from '../common/format';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';

/** 受理回执: what the applicant takes home; printable (the navigation is hidden in print). */
export function ReceiptPage() {
  const { t } = useTranslation();
  const { caseId = '' } = useParams();
  const names = useNames();
  const catalogue = useCatalogue();
  const found = useLoad(() => call<CaseView>('intake', `/cases/${caseId}`), [caseId]);
  const view = found.data;
  const item = catalogue?.items.find((entry) => entry.code === view?.itemCode);
  return (
    <Flex vertical gap="middle">
      <PageError error={found.error} />
      {view && (
        <section className="receipt-sheet" aria-labelledby="receipt-title">
          <Typography.Title level={1} id="receipt-title" style={{ fontSize: 22, textAlign: 'center' }}>
            {t('receipt.title')}
          </Typography.Title>
          <Descriptions bordered column={1} size="small">
            <Descriptions.Item label={t('common.receipt')}>
              <strong data-testid="receipt-number">{view.receiptNumber}</strong>
            </Descriptions.Item>
            <Descriptions.Item
              label={t('common.item')}
            >{`${names.item(view.itemCode)} (${view.itemCode})`}</Descriptions.Item>
            <Descriptions.Item label={t('common.applicant')}>
              {view.applicant['name'] ?? view.applicant['companyName']} {view.applicant['phone']}
            </Descriptions.Item>
            <Descriptions.Item label={t('receipt.office')}>{names.office(view.officeId)}</Descriptions.Item>
            <Descriptions.Item label={t('common.submittedAt')}>
              {formatTime(view.submittedAt)}
            </Descriptions.Item>
            {item && (
              <Descriptions.Item label={t('common.dueAt')}>
                {t('wizard.promised', { days: item.timeLimits.promisedDays })}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('receipt.received')}>
              {view.materials.map((material) => material.name).join('、') || t('common.none')}
            </Descriptions.Item>
            {view.missingMaterials.length > 0 && (
              <Descriptions.Item label={t('receipt.missing', { due: formatTime(view.supplementDueAt) })}>
                {view.missingMaterials.map((material) => material.name ?? material.code).join('、')}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('receipt.delivery')}>
              {t(`wizard.methods.${view.delivery.method}`)}
              {view.delivery.officeId ? ` · ${names.office(view.delivery.officeId)}` : ''}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ marginTop: 16 }}>{t('receipt.trackHint')}</Typography.Paragraph>
        </section>
      )}
      <Flex gap="small" className="no-print">
        <Button type="primary" onClick={() => window.print()}>
          {t('common.print')}
        </Button>
        <Link to={`/office/cases/${caseId}`}>{t('cases.timeline')}</Link>
      </Flex>
    </Flex>
  );
}
