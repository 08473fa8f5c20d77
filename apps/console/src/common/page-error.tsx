import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** A refused request, with the server's own words and the fields it named. */
export function PageError({ error }: { readonly error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={`${t('common.failed')}: ${(error as Error).message}`}
      description={
        issues.length ? (
          <ul>
            {issues.map((issue) => (
              <li key={issue.field}>{`${issue.field}: ${issue.reason}`}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
