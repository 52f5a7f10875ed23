import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { homeOf, useAuth } from '../auth';
import { useDocumentTitle } from '../hooks';
import { SkipLink } from '../components/common';
import { useI18n } from '../i18n';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useDocumentTitle(t('signIn'));

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const user = await login(values.username.trim(), values.password);
      const next = params.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : homeOf(user.role), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('err_network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <SkipLink />
      <header className="app-header">
        <span className="app-brand">{t('appName')}</span>
        <span style={{ flex: 1 }} />
        <Button size="small" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} aria-label={t('language')}>
          {lang === 'vi' ? t('switchToEnglish') : t('switchToVietnamese')}
        </Button>
      </header>
      <main id="main" tabIndex={-1}>
        <Card style={{ maxWidth: 400, margin: '48px auto' }}>
          <Typography.Title level={1} style={{ fontSize: 22 }}>
            {t('signIn')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('appTagline')}</Typography.Paragraph>
          {error && <Alert type="error" role="alert" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Form<LoginForm> layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
            <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}>
              <Input autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('signIn')}
            </Button>
          </Form>
        </Card>
      </main>
    </>
  );
}
