import { Button, Card, Col, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { type AssignmentStatus, type InboxQuery, STATUSES, TIMELINESS, type Timeliness } from '../api/types';
import { canCoordinate, isUnitRole, useAuth } from '../auth';
import { AssignmentList } from '../components/AssignmentList';
import { ErrorAlert, PageTitle } from '../components/common';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { TIMELINESS_COLOR } from '../timeliness';
import { useRoleColumn } from './coordination';

const isStatus = (v: string | null): v is AssignmentStatus => v !== null && (STATUSES as readonly string[]).includes(v);
const isTimeliness = (v: string | null): v is Timeliness => v !== null && (TIMELINESS as readonly string[]).includes(v);

/** The filters live in the address, so a dashboard number can link straight to its list. */
function queryFrom(params: URLSearchParams): InboxQuery {
  const status = params.get('status');
  const timeliness = params.get('timeliness');
  const due = Number(params.get('dueWithinDays'));
  return {
    status: isStatus(status) ? status : undefined,
    timeliness: isTimeliness(timeliness) ? timeliness : undefined,
    planId: params.get('planId') ?? undefined,
    unitCode: params.get('unitCode') ?? undefined,
    q: params.get('q') ?? undefined,
    dueWithinDays: Number.isInteger(due) && due > 0 ? due : undefined,
    page: Number(params.get('page')) || 1,
    pageSize: Number(params.get('pageSize')) || 20,
    sort: 'deadline',
  };
}

export function InboxPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const query = queryFrom(params);
  const key = params.toString();
  const inbox = useLoad(() => api.inbox(query), [key]);
  const plans = useLoad(() => api.plans({ status: 'active', pageSize: 100 }), []);
  // Each item says whether the unit leads it (chủ trì) or works with the lead (phối hợp).
  const roleColumn = useRoleColumn();

  const set = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  const counts = inbox.data?.counts;
  const chip = (
    kind: 'status' | 'timeliness',
    value: string,
    label: string,
    n: number | undefined,
    color?: string,
  ) => {
    const active = params.get(kind) === value;
    return (
      <button
        key={value}
        type="button"
        className="count-chip"
        aria-pressed={active}
        onClick={() => set({ [kind]: active ? undefined : value })}
      >
        {color && <span className="dot" style={{ background: color }} aria-hidden="true" />}
        <span>{label}</span>
        <strong>{n ?? 0}</strong>
      </button>
    );
  };

  return (
    <>
      <PageTitle>{t('inboxTitle')}</PageTitle>
      <ErrorAlert error={inbox.error} onRetry={inbox.reload} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Typography.Text strong id="by-timeliness">
          {t('countsByTimeliness')}
        </Typography.Text>
        <div className="count-chips" role="group" aria-labelledby="by-timeliness" style={{ margin: '6px 0 10px' }}>
          {TIMELINESS.map((tl) => chip('timeliness', tl, t(`tl_${tl}`), counts?.byTimeliness[tl], TIMELINESS_COLOR[tl]))}
        </div>
        <Typography.Text strong id="by-status">
          {t('countsByStatus')}
        </Typography.Text>
        <div className="count-chips" role="group" aria-labelledby="by-status" style={{ marginTop: 6 }}>
          {STATUSES.map((s) => chip('status', s, t(`status_${s}`), counts?.byStatus[s]))}
        </div>
      </Card>
      <Card size="small" style={{ marginBottom: 12 }}>
        <form role="search" aria-label={t('search')} onSubmit={(e) => e.preventDefault()}>
          <Row gutter={[8, 8]}>
            <Col xs={24} md={8}>
              <Input.Search
                aria-label={t('filterText')}
                placeholder={t('filterText')}
                defaultValue={query.q}
                allowClear
                onSearch={(v) => set({ q: v.trim() || undefined })}
              />
            </Col>
            <Col xs={12} md={4}>
              <Select
                aria-label={t('filterStatus')}
                placeholder={t('filterStatus')}
                allowClear
                style={{ width: '100%' }}
                value={query.status}
                onChange={(v?: string) => set({ status: v })}
                options={STATUSES.map((s) => ({ value: s, label: t(`status_${s}`) }))}
              />
            </Col>
            <Col xs={12} md={4}>
              <Select
                aria-label={t('filterTimeliness')}
                placeholder={t('filterTimeliness')}
                allowClear
                style={{ width: '100%' }}
                value={query.timeliness}
                onChange={(v?: string) => set({ timeliness: v })}
                options={TIMELINESS.map((s) => ({ value: s, label: t(`tl_${s}`) }))}
              />
            </Col>
            <Col xs={24} md={4}>
              <Select
                aria-label={t('filterPlan')}
                placeholder={t('filterPlan')}
                allowClear
                style={{ width: '100%' }}
                value={query.planId}
                onChange={(v?: string) => set({ planId: v })}
                options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.number ?? ''} ${p.title}`.trim() }))}
              />
            </Col>
            <Col xs={12} md={2}>
              <InputNumber
                aria-label={t('filterDueWithin')}
                placeholder={t('filterDueWithin')}
                min={1}
                max={3650}
                style={{ width: '100%' }}
                value={query.dueWithinDays ?? null}
                onChange={(v) => set({ dueWithinDays: v ?? undefined })}
              />
            </Col>
            {user && canCoordinate(user.role) && (
              <Col xs={12} md={2}>
                <Input aria-label={t('filterUnit')} placeholder={t('filterUnit')} defaultValue={query.unitCode} onPressEnter={(e) => set({ unitCode: e.currentTarget.value.trim() || undefined })} />
              </Col>
            )}
          </Row>
          <Space style={{ marginTop: 8 }}>
            <Button onClick={() => setParams(new URLSearchParams())}>{t('clearFilters')}</Button>
          </Space>
        </form>
      </Card>
      <AssignmentList
        items={inbox.data?.items ?? []}
        loading={inbox.loading}
        showUnit={!!user && !isUnitRole(user.role)}
        extraColumn={roleColumn}
        paging={{
          page: query.page ?? 1,
          pageSize: query.pageSize ?? 20,
          total: inbox.data?.total ?? 0,
          onChange: (page, pageSize) => set({ page, pageSize }),
        }}
      />
    </>
  );
}
