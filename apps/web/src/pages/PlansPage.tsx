import { Button, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { PlanStatus, PlanSummary } from '../api/types';
import { canCoordinate, useAuth } from '../auth';
import { ErrorAlert, PageTitle } from '../components/common';
import { formatDate } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

const PLAN_COLOR: Record<PlanStatus, string> = { draft: 'gold', active: 'blue', closed: 'green', cancelled: 'default' };

export function PlansPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [page, setPage] = useState(1);
  const plans = useLoad(() => api.plans({ page, pageSize: 20 }), [page]);
  return (
    <>
      <PageTitle
        extra={
          user && canCoordinate(user.role) ? (
            <Link to="/plans/import">
              <Button type="primary">{t('navImport')}</Button>
            </Link>
          ) : undefined
        }
      >
        {t('plansTitle')}
      </PageTitle>
      <ErrorAlert error={plans.error} onRetry={plans.reload} />
      <Table<PlanSummary>
        rowKey="id"
        loading={plans.loading}
        dataSource={plans.data?.items ?? []}
        scroll={{ x: 700 }}
        locale={{ emptyText: t('noData') }}
        pagination={{ current: page, pageSize: 20, total: plans.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('planNumber'), dataIndex: 'number', width: 140, render: (v: string | null) => v ?? '—' },
          { title: t('planTitle'), key: 'title', render: (_, p) => <Link to={`/plans/${p.id}`}>{p.title}</Link> },
          { title: t('year'), dataIndex: 'year', width: 80 },
          { title: t('colStatus'), key: 'status', width: 130, render: (_, p) => <Tag color={PLAN_COLOR[p.status]}>{t(`plan_${p.status}`)}</Tag> },
          {
            title: t('warnings'),
            key: 'w',
            width: 180,
            render: (_, p) => (p.unresolvedWarningCount > 0 ? <Tag color="orange">{t('unresolvedWarnings', { n: p.unresolvedWarningCount })}</Tag> : p.warningCount),
          },
          { title: t('updatedAt'), key: 'u', width: 120, render: (_, p) => formatDate(p.updatedAt) },
          {
            title: t('navDashboard'),
            key: 'd',
            width: 140,
            render: (_, p) => (p.status === 'active' ? <Link to={`/dashboard?planId=${p.id}`}>{t('navDashboard')}</Link> : null),
          },
        ]}
      />
    </>
  );
}
