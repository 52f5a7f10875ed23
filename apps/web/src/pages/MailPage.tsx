import { Table } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { CaughtMail } from '../api/types';
import { ErrorAlert, PageTitle } from '../components/common';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

export function MailPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const mail = useLoad(() => api.mail({ page, pageSize: 20 }), [page]);
  return (
    <>
      <PageTitle>{t('mailTitle')}</PageTitle>
      <ErrorAlert error={mail.error} onRetry={mail.reload} />
      <Table<CaughtMail>
        rowKey="id"
        loading={mail.loading}
        dataSource={mail.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: mail.data?.total ?? 0, onChange: setPage }}
        scroll={{ x: 700 }}
        locale={{ emptyText: t('noData') }}
        columns={[
          { title: t('date'), key: 'd', width: 160, render: (_, m) => formatDateTime(m.receivedAt) },
          { title: t('to'), key: 'to', render: (_, m) => m.to.map((a) => a.address).join(', ') },
          {
            title: t('subject'),
            key: 's',
            render: (_, m) => (
              <a href={api.mailHtmlUrl(m.id)} target="_blank" rel="noreferrer">
                {m.subject || m.id}
              </a>
            ),
          },
        ]}
      />
    </>
  );
}
