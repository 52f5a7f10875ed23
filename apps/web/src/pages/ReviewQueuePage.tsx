import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { AssignmentList } from '../components/AssignmentList';
import { ErrorAlert, PageTitle } from '../components/common';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

export function ReviewQueuePage() {
  const { t } = useI18n();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [params] = useSearchParams();
  const planId = params.get('planId') ?? undefined;
  const unitCode = params.get('unitCode') ?? undefined;
  const queue = useLoad(() => api.reviewQueue({ ...page, planId, unitCode }), [page.page, page.pageSize, planId, unitCode]);
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
