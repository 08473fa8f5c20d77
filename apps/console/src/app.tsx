import { Button, ConfigProvider, Layout, Menu, Space, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { homeOf, type Role, SessionProvider, useSession } from './auth/session';
import { i18next, type Language, rememberLanguage } from './i18n/i18n';
import { CatalogueProvider } from './common/catalogue';

// Each role's pages are a chunk of their own, fetched on first visit: a courier's phone never
// downloads the reviewer's or the operator's screens.
const SignInPage = lazy(() => import('./auth/sign-in.page').then((m) => ({ default: m.SignInPage })));
const TrackPage = lazy(() => import('./applicant/track.page').then((m) => ({ default: m.TrackPage })));
const CourierPage = lazy(() => import('./courier/courier.page').then((m) => ({ default: m.CourierPage })));
const officePages = () => import('./office/office.pages');
const SubmissionWizard = lazy(() => officePages().then((m) => ({ default: m.SubmissionWizard })));
const CaseListPage = lazy(() => officePages().then((m) => ({ default: m.CaseListPage })));
const CaseDetailPage = lazy(() => officePages().then((m) => ({ default: m.CaseDetailPage })));
const ReceiptPage = lazy(() => officePages().then((m) => ({ default: m.ReceiptPage })));
const reviewerPages = () => import('./reviewer/reviewer.pages');
const QueuePage = lazy(() => reviewerPages().then((m) => ({ default: m.QueuePage })));
const WorkItemPage = lazy(() => reviewerPages().then((m) => ({ default: m.WorkItemPage })));
const OperatorPage = lazy(() =>
  import('./operator/operator.page').then((m) => ({ default: m.OperatorPage })),
);

function Loading() {
  const { t } = useTranslation();
  return <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: '48px auto' }} />;
}

const MENUS: Record<Role, { readonly path: string; readonly key: string }[]> = {
  office_staff: [
    { path: '/office/cases', key: 'nav.cases' },
    { path: '/office/submit', key: 'nav.submit' },
  ],
  reviewer: [{ path: '/reviewer', key: 'nav.queue' }],
  courier: [{ path: '/courier', key: 'nav.parcels' }],
  operator: [{ path: '/operator', key: 'nav.triage' }],
  admin: [{ path: '/operator', key: 'nav.triage' }],
};

function LanguageSwitch({ onChange }: { readonly onChange: (language: Language) => void }) {
  const { t, i18n } = useTranslation();
  const next: Language = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      type="link"
      lang={next}
      onClick={() => {
        rememberLanguage(next);
        void i18n.changeLanguage(next);
        onChange(next);
      }}
    >
      {t('app.language')}
    </Button>
  );
}

/** Signed-in pages: the role's menu, the user, sign-out; anything else goes to sign-in. */
function Shell({
  roles,
  children,
  onLanguage,
}: {
  readonly roles: readonly Role[];
  readonly children: ReactNode;
  readonly onLanguage: (language: Language) => void;
}) {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace />;
  if (!roles.includes(session.user.role)) return <Navigate to={homeOf(session.user.role)} replace />;
  const menu = MENUS[session.user.role];
  const compact = session.user.role === 'courier';
  return (
    <Layout className={compact ? 'shell shell-compact' : 'shell'}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Layout.Header className="shell-header no-print">
        <Typography.Text strong className="shell-title">
          {t('app.title')}
        </Typography.Text>
        <nav aria-label={t('app.title')} className="shell-nav">
          <Menu
            mode="horizontal"
            theme="dark"
            selectedKeys={menu
              .filter((entry) => location.pathname.startsWith(entry.path))
              .map((entry) => entry.path)}
            items={menu.map((entry) => ({
              key: entry.path,
              label: <Link to={entry.path}>{t(entry.key)}</Link>,
            }))}
          />
        </nav>
        <Space className="shell-user">
          <span>{session.user.label}</span>
          <LanguageSwitch onChange={onLanguage} />
          <Button type="link" onClick={signOut}>
            {t('app.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content>
        <main id="main" className="shell-main">
          <Suspense fallback={<Loading />}>{children}</Suspense>
        </main>
      </Layout.Content>
    </Layout>
  );
}

export function App() {
  const [language, setLanguage] = useState<Language>(i18next.language === 'en' ? 'en' : 'zh-CN');
  const office: Role[] = ['office_staff'];
  const shell = (roles: Role[], page: ReactNode) => (
    <Shell roles={roles} onLanguage={setLanguage}>
      {page}
    </Shell>
  );
  return (
    <ConfigProvider
      locale={language === 'en' ? enUS : zhCN}
      theme={{
        // Darker than antd's defaults where these fall below WCAG AA contrast (4.5:1) on white.
        token: {
          colorPrimary: '#1f4e9c',
          colorLink: '#1f4e9c',
          colorError: '#b01c1c',
          colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
          colorTextDescription: 'rgba(0, 0, 0, 0.62)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
        },
      }}
      button={{ autoInsertSpace: false }}
    >
      <SessionProvider>
        <CatalogueProvider>
          <BrowserRouter>
            <Routes>
              <Route
                path="/sign-in"
                element={
                  <Suspense fallback={<Loading />}>
                    <SignInPage />
                  </Suspense>
                }
              />
              <Route
                path="/track"
                element={
                  <Suspense fallback={<Loading />}>
                    <TrackPage onLanguage={setLanguage} />
                  </Suspense>
                }
              />
              <Route path="/office/submit" element={shell(office, <SubmissionWizard />)} />
              <Route path="/office/cases" element={shell(office, <CaseListPage />)} />
              <Route path="/office/cases/:caseId" element={shell(office, <CaseDetailPage />)} />
              <Route path="/office/receipt/:caseId" element={shell(office, <ReceiptPage />)} />
              <Route path="/reviewer" element={shell(['reviewer'], <QueuePage />)} />
              <Route path="/reviewer/items/:itemId" element={shell(['reviewer'], <WorkItemPage />)} />
              <Route path="/courier" element={shell(['courier'], <CourierPage />)} />
              <Route path="/operator" element={shell(['operator', 'admin'], <OperatorPage />)} />
              <Route path="*" element={<Navigate to="/sign-in" replace />} />
            </Routes>
          </BrowserRouter>
        </CatalogueProvider>
      </SessionProvider>
    </ConfigProvider>
  );
}
