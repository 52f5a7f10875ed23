import { App as AntApp, Button, ConfigProvider, Menu } from 'antd';
import enUS from 'antd/locale/en_US';
import viVN from 'antd/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { useEffect } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import type { Role } from './api/types';
import { canCoordinate, canSeeDashboard, homeOf, isUnitRole, useAuth } from './auth';
import { Loading, NotFound, SkipLink } from './components/common';
import { type MessageKey, useI18n } from './i18n';
import { AccountPage } from './pages/AccountPage';
import { AssignmentPage } from './pages/AssignmentPage';
import { DashboardPage } from './pages/DashboardPage';
import { ExtensionsPage } from './pages/ExtensionsPage';
import { ImportPage } from './pages/ImportPage';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { MailPage } from './pages/MailPage';
import { PlanReviewPage } from './pages/PlanReviewPage';
import { PlansPage } from './pages/PlansPage';
import { ReviewQueuePage } from './pages/ReviewQueuePage';
import { UsersPage } from './pages/UsersPage';

interface NavItem {
  path: string;
  label: MessageKey;
  allowed(role: Role): boolean;
}

const NAV: NavItem[] = [
  { path: '/inbox', label: 'navInbox', allowed: (r) => isUnitRole(r) || canCoordinate(r) },
  { path: '/review-queue', label: 'navReviewQueue', allowed: canCoordinate },
  { path: '/extensions', label: 'navExtensions', allowed: canCoordinate },
  { path: '/plans', label: 'navPlans', allowed: (r) => !isUnitRole(r) },
  { path: '/plans/import', label: 'navImport', allowed: canCoordinate },
  { path: '/dashboard', label: 'navDashboard', allowed: canSeeDashboard },
  { path: '/mail', label: 'navMail', allowed: canSeeDashboard },
  { path: '/users', label: 'navUsers', allowed: (r) => r === 'admin' },
];

function Shell() {
  const { user, logout } = useAuth();
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  if (!user) return null;
  const items = NAV.filter((n) => n.allowed(user.role));
  const selected = items
    .filter((n) => location.pathname === n.path || location.pathname.startsWith(`${n.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];

  return (
    <>
      <SkipLink />
      <header className="app-header">
        <Link to="/" className="app-brand" aria-label={`${t('appName')}: ${t('appTagline')}`}>
          {t('appName')}
        </Link>
        <nav className="app-nav" aria-label={t('mainNav')}>
          <Menu
            mode="horizontal"
            selectedKeys={selected ? [selected.path] : []}
            items={items.map((n) => ({ key: n.path, label: <Link to={n.path}>{t(n.label)}</Link> }))}
          />
        </nav>
        <div className="app-user">
          <Link to="/account" title={t('navAccount')}>
            {user.displayName} <span className="hide-on-phone">({t(`role_${user.role}`)})</span>
          </Link>
          <Button size="small" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} aria-label={t('language')} lang={lang === 'vi' ? 'en' : 'vi'}>
            {lang === 'vi' ? t('switchToEnglish') : t('switchToVietnamese')}
          </Button>
          <Button size="small" onClick={() => void logout().then(() => navigate('/login'))}>
            {t('signOut')}
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Navigate to={homeOf(user.role)} replace />} />
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/assignments/:workflowId" element={<AssignmentPage />} />
          <Route path="/review-queue" element={<ReviewQueuePage />} />
          <Route path="/extensions" element={<ExtensionsPage />} />
          <Route path="/plans" element={<PlansPage />} />
          <Route path="/plans/import" element={<ImportPage />} />
          <Route path="/plans/:id" element={<PlanReviewPage />} />
          <Route path="/dashboard" element={<DashboardPage />} />
          <Route path="/mail" element={<MailPage />} />
          <Route path="/users" element={<UsersPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/login" element={<Navigate to={homeOf(user.role)} replace />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </>
  );
}

export function App() {
  const { user, ready } = useAuth();
  const { lang } = useI18n();
  const location = useLocation();

  useEffect(() => {
    dayjs.locale(lang === 'vi' ? 'vi' : 'en');
  }, [lang]);

  let content;
  if (!ready) content = <Loading />;
  else if (!user) {
    content =
      location.pathname === '/login' ? <LoginPage /> : <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  } else content = <Shell />;

  return (
    <ConfigProvider locale={lang === 'vi' ? viVN : enUS} theme={{ token: { colorPrimary: '#0b5cad', borderRadius: 6 } }}>
      <AntApp>{content}</AntApp>
    </ConfigProvider>
  );
}
