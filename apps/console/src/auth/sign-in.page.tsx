import { Alert, Button, Card, Flex, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { call } from '../api/client';
import { PageError } from '../common/page-error';
import { useLoad } from '../common/use-load';
import { homeOf, type Role, type Session, useSession } from './session';

interface DevUserEntry {
  readonly id: string;
  readonly role: Role;
  readonly label: string;
}

/**
 * Development sign-in: the seeded users, each a click away. The console server refuses it in a
 * production build (NODE_ENV=production), where sign-in goes through the identity provider.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { signIn } = useSession();
  const settings = useLoad(() => call<{ devSignIn: boolean }>('console', '/settings'), []);
  const users = useLoad(
    () => (settings.data?.devSignIn ? call<DevUserEntry[]>('console', '/dev/users') : Promise.resolve([])),
    [settings.data?.devSignIn],
  );

  async function choose(userId: string) {
    const session = await call<Session>('console', '/dev/sign-in', { method: 'POST', body: { userId } });
    signIn(session);
    void navigate(homeOf(session.user.role));
  }

  return (
    <main id="main" className="sign-in">
      <Card title={<Typography.Title level={1}>{t('signIn.title')}</Typography.Title>}>
        <Flex vertical gap="middle">
          {settings.data?.devSignIn === false && <Alert type="warning" title={t('signIn.disabled')} />}
          {settings.data?.devSignIn && <Alert type="info" title={t('signIn.devNotice')} />}
          <PageError error={settings.error ?? users.error} />
          <List
            dataSource={users.data ?? []}
            renderItem={(user) => (
              <List.Item
                actions={[
                  <Button
                    key="go"
                    type="primary"
                    aria-label={`${t('signIn.as')}: ${user.id}`}
                    data-user={user.id}
                    onClick={() => void choose(user.id)}
                  >
                    {t('signIn.as')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space>
                      <span>{user.id}</span>
                      <Tag>{t(`roles.${user.role}`)}</Tag>
                    </Space>
                  }
                  description={user.label}
                />
              </List.Item>
            )}
          />
          <Link to="/track">{t('signIn.applicant')}</Link>
        </Flex>
      </Card>
    </main>
  );
}
