import { useState } from 'react';
import { api } from '../api/client';
import { AssignmentList } from '../components/AssignmentList';
import { ErrorAlert, PageTitle } from '../components/common';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

export function ReviewQueuePage() {
  const { t } = useI18n();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const queue = useLoad(() => api.reviewQueue(page), [page.page, page.pageSize]);
  return (
    <>
      <PageTitle>{t('reviewQueueTitle')}</PageTitle>
      <ErrorAlert error={queue.error} onRetry={queue.reload} />
      <AssignmentList
        items={queue.data?.items ?? []}
        loading={queue.loading}
        showUnit
        extraColumn={{ title: t('submittedAt'), render: (a) => formatDateTime(a.submittedAt) }}
        paging={{ ...page, total: queue.data?.total ?? 0, onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
      />
    </>
  );
}
