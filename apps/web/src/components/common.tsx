import { Alert, Button, Result, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { ApiError } from '../api/client';
import { useDocumentTitle } from '../hooks';
import { useI18n } from '../i18n';

export function PageTitle({ children, extra }: { children: string; extra?: ReactNode }) {
  useDocumentTitle(children);
  return (
    <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap', justifyContent: 'space-between', marginBottom: 12 }}>
      <Typography.Title level={1} className="page-title" style={{ fontSize: 22, marginBottom: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}

export function ErrorAlert({ error, onRetry }: { error: ApiError | null; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const fieldLines = Object.entries(error.fields).flatMap(([f, msgs]) => msgs.map((m) => `${f}: ${m}`));
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      message={error.message}
      description={fieldLines.length > 0 ? <ul style={{ margin: 0, paddingLeft: 18 }}>{fieldLines.map((l) => <li key={l}>{l}</li>)}</ul> : undefined}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('retry')}</Button> : undefined}
    />
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div style={{ padding: 32, textAlign: 'center' }} role="status" aria-live="polite">
      <Spin />
      <div>{t('loading')}</div>
    </div>
  );
}

export function NotFound() {
  const { t } = useI18n();
  useDocumentTitle(t('pageNotFound'));
  return (
    <Result
      status="404"
      title={<h1 style={{ fontSize: 22 }}>{t('pageNotFound')}</h1>}
      extra={<Link to="/">{t('backHome')}</Link>}
    />
  );
}

/** First stop of the Tab order: moves focus to <main id="main"> without touching the address. */
export function SkipLink() {
  const { t } = useI18n();
  return (
    <a
      className="skip-link"
      href="#main"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      {t('skipToContent')}
    </a>
  );
}
