import { Table } from 'antd';
import { api, itemsOf } from '../api/client';
import type { CaughtMail } from '../api/types';
import { ErrorAlert, PageTitle } from '../components/common';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

export function MailPage() {
  const { t } = useI18n();
  const mail = useLoad(() => api.mail().then((m) => itemsOf<CaughtMail>(m)), []);
  return (
    <>
      <PageTitle>{t('mailTitle')}</PageTitle>
      <ErrorAlert error={mail.error} onRetry={mail.reload} />
      <Table<CaughtMail>
        rowKey="id"
        loading={mail.loading}
        dataSource={mail.data ?? []}
        scroll={{ x: 700 }}
        locale={{ emptyText: t('noData') }}
        columns={[
          { title: t('date'), key: 'd', width: 160, render: (_, m) => formatDateTime(m.date ?? m.receivedAt) },
          { title: t('to'), key: 'to', render: (_, m) => (Array.isArray(m.to) ? m.to.join(', ') : (m.to ?? '')) },
          {
            title: t('subject'),
            key: 's',
            render: (_, m) => (
              <a href={api.mailHtmlUrl(m.id)} target="_blank" rel="noreferrer">
                {m.subject ?? m.id}
              </a>
            ),
          },
        ]}
      />
    </>
  );
}
