import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { AssignmentList } from '../components/AssignmentList';
import { ErrorAlert, PageTitle } from '../components/common';
import { formatDate } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

export function ExtensionsPage() {
  const { t } = useI18n();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [params] = useSearchParams();
  const planId = params.get('planId') ?? undefined;
  const requests = useLoad(() => api.extensionRequests({ ...page, planId }), [page.page, page.pageSize, planId]);
  const items = requests.data?.items ?? [];
  return (
    <>
      <PageTitle>{t('extensionsTitle')}</PageTitle>
      <ErrorAlert error={requests.error} onRetry={requests.reload} />
      <AssignmentList
        items={items}
        loading={requests.loading}
        showUnit
        extraColumn={{
          title: t('requestedDeadline'),
          render: (a) => {
            const ext = items.find((i) => i.workflowId === a.workflowId)?.pendingExtension;
            return ext ? `${formatDate(ext.newDeadline)} — ${ext.reason}` : '—';
          },
        }}
        paging={{ ...page, total: requests.data?.total ?? 0, onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
      />
    </>
  );
}
