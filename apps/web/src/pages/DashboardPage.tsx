import { Button, Card, Col, Empty, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import { type IndicatorProgress, type ItemCompletion, TIMELINESS, type Timeliness, type TimelinessCounts, type UnitCompletion } from '../api/types';
import { AssignmentList } from '../components/AssignmentList';
import { ErrorAlert, Loading, PageTitle } from '../components/common';
import { formatDate, formatPercent } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { TIMELINESS_COLOR } from '../timeliness';

/** Chart axis labels: the official long names, shortened the way documents abbreviate them. */
function shortLabel(name: string): string {
  const short = name.replace(/^Ủy ban nhân dân/u, 'UBND').replace(/^Ủy ban Mặt trận Tổ quốc/u, 'UB MTTQ');
  return short.length > 30 ? `${short.slice(0, 29)}…` : short;
}

const done = (c: TimelinessCounts): number => (c.done_on_time ?? 0) + (c.done_late ?? 0);

function inboxLink(planId: string, filters: Record<string, string>): string {
  return `/inbox?${new URLSearchParams({ planId, ...filters }).toString()}`;
}

function Section({ title, children, extra }: { title: string; children: ReactNode; extra?: ReactNode }) {
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>} extra={extra} style={{ height: '100%' }}>
      {children}
    </Card>
  );
}

function CompletionChart<T extends { counts: TimelinessCounts }>({ rows, label, onPick }: { rows: T[]; label(row: T): string; onPick(row: T): void }) {
  const { t } = useI18n();
  const data = rows.map((r) => ({ name: shortLabel(label(r)), row: r, ...Object.fromEntries(TIMELINESS.map((tl) => [tl, r.counts[tl] ?? 0])) }));
  return (
    <div style={{ width: '100%', height: Math.max(240, rows.length * 26 + 80) }} role="img" aria-label={t('completionRate')}>
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={170} tick={{ fontSize: 11 }} interval={0} />
          <Tooltip />
          <Legend />
          {TIMELINESS.map((tl) => (
            <Bar key={tl} dataKey={tl} name={t(`tl_${tl}`)} stackId="a" fill={TIMELINESS_COLOR[tl]} cursor="pointer" onClick={(d: { payload?: { row: T } }) => d.payload && onPick(d.payload.row)} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function DashboardPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const plans = useLoad(() => api.plans({ status: 'active', pageSize: 100 }), []);
  const planId = params.get('planId') ?? plans.data?.items[0]?.id ?? '';
  const key = planId;
  const summary = useLoad(() => (planId ? api.dashboard.summary(planId) : Promise.resolve(undefined)), [key]);
  const byUnit = useLoad(() => (planId ? api.dashboard.byUnit(planId) : Promise.resolve([])), [key]);
  const byItem = useLoad(() => (planId ? api.dashboard.byResponsibility(planId) : Promise.resolve([])), [key]);
  const matrix = useLoad(() => (planId ? api.dashboard.matrix(planId) : Promise.resolve(undefined)), [key]);
  const [overduePage, setOverduePage] = useState(1);
  const overdue = useLoad(
    () => (planId ? api.dashboard.overdue(planId, overduePage, 10).then((o) => (Array.isArray(o) ? { items: o, total: o.length } : o)) : Promise.resolve({ items: [], total: 0 })),
    [key, overduePage],
  );
  const indicators = useLoad(() => (planId ? api.dashboard.indicators(planId) : Promise.resolve([])), [key]);
  const timeline = useLoad(() => (planId ? api.dashboard.timeline(planId) : Promise.resolve([])), [key]);

  if (plans.loading && !plans.data) return <Loading />;
  const planOptions = (plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.number ?? ''} ${p.title}`.trim() }));

  const header = (
    <PageTitle
      extra={
        planId ? (
          <Space wrap>
            <a href={api.exportUrl(planId, 'xlsx')} download>
              <Button>{t('exportXlsx')}</Button>
            </a>
            <a href={api.exportUrl(planId, 'csv', 'units')} download>
              <Button>{t('exportCsv')}</Button>
            </a>
            <a href={api.exportUrl(planId, 'docx')} download>
              <Button>{t('exportDocx')}</Button>
            </a>
          </Space>
        ) : undefined
      }
    >
      {t('dashboardTitle')}
    </PageTitle>
  );

  if (!planId) {
    return (
      <>
        {header}
        <ErrorAlert error={plans.error} onRetry={plans.reload} />
        <Empty description={t('noPlans')} />
      </>
    );
  }

  const s = summary.data;
  const firstError = [summary, byUnit, byItem, matrix, overdue, indicators, timeline].map((l) => l.error).find((e) => e) ?? null;
  const cellOf = new Map((matrix.data?.cells ?? []).map((c) => [`${c.unitCode}|${c.itemKey}`, c]));

  return (
    <>
      {header}
      <Select
        aria-label={t('choosePlan')}
        style={{ width: '100%', maxWidth: 640, marginBottom: 12 }}
        value={planId}
        options={planOptions}
        onChange={(v: string) => setParams({ planId: v })}
      />
      <ErrorAlert error={firstError} />
      <section aria-label={t('total')}>
        <Row gutter={[8, 8]} style={{ marginBottom: 12 }}>
          <Col xs={12} md={6} lg={3}>
            <Card size="small">
              <Link to={inboxLink(planId, {})} aria-label={`${t('total')}: ${s?.total ?? 0}`}>
                <Statistic title={t('total')} value={s?.total ?? 0} />
              </Link>
            </Card>
          </Col>
          {TIMELINESS.map((tl) => (
            <Col xs={12} md={6} lg={3} key={tl}>
              <Card size="small" style={{ borderTop: `4px solid ${TIMELINESS_COLOR[tl]}` }}>
                <Link to={inboxLink(planId, { timeliness: tl })} aria-label={`${t(`tl_${tl}`)}: ${s?.counts[tl] ?? 0}`}>
                  <Statistic
                    title={t(`tl_${tl}`)}
                    value={s?.counts[tl] ?? 0}
                    valueStyle={{ color: TIMELINESS_COLOR[tl] }}
                    suffix={<span style={{ fontSize: 13 }}>({formatPercent(s?.rates[tl])})</span>}
                  />
                </Link>
              </Card>
            </Col>
          ))}
        </Row>
      </section>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Section title={t('byUnit')}>
            <CompletionChart<UnitCompletion> rows={byUnit.data ?? []} label={(r) => r.unitName} onPick={(r) => navigate(inboxLink(planId, { unitCode: r.unitCode }))} />
            <Table<UnitCompletion>
              size="small"
              rowKey="unitCode"
              dataSource={byUnit.data ?? []}
              pagination={false}
              scroll={{ x: 420, y: 360 }}
              columns={[
                { title: t('colUnit'), key: 'n', render: (_, r) => <Link to={inboxLink(planId, { unitCode: r.unitCode })}>{r.unitName}</Link> },
                { title: t('total'), dataIndex: 'total', width: 70 },
                {
                  title: t('completionRate'),
                  key: 'c',
                  width: 150,
                  render: (_, r) => (
                    <Link to={inboxLink(planId, { unitCode: r.unitCode, status: 'done' })} data-testid={`completion-${r.unitCode}`}>
                      {done(r.counts)}/{r.total} ({formatPercent(r.completionRate)})
                    </Link>
                  ),
                },
                {
                  title: t('tl_open_overdue'),
                  key: 'o',
                  width: 110,
                  render: (_, r) => (
                    <Link to={inboxLink(planId, { unitCode: r.unitCode, timeliness: 'open_overdue' })} style={{ color: TIMELINESS_COLOR.open_overdue }}>
                      {r.counts.open_overdue ?? 0}
                    </Link>
                  ),
                },
              ]}
            />
          </Section>
        </Col>
        <Col xs={24} xl={12}>
          <Section title={t('byResponsibility')}>
            <CompletionChart<ItemCompletion> rows={byItem.data ?? []} label={(r) => r.itemKey} onPick={(r) => navigate(inboxLink(planId, { q: r.itemKey }))} />
            <Table<ItemCompletion>
              size="small"
              rowKey="itemKey"
              dataSource={byItem.data ?? []}
              pagination={false}
              scroll={{ x: 420, y: 360 }}
              columns={[
                { title: t('colTask'), key: 'n', render: (_, r) => <Link to={inboxLink(planId, { q: r.itemKey })}>{r.itemKey} · {r.title.length > 90 ? `${r.title.slice(0, 90)}…` : r.title}</Link> },
                { title: t('total'), dataIndex: 'total', width: 70 },
                { title: t('completionRate'), key: 'c', width: 130, render: (_, r) => `${done(r.counts)}/${r.total} (${formatPercent(r.completionRate)})` },
              ]}
            />
          </Section>
        </Col>
        <Col xs={24}>
          <Section title={t('matrix')}>
            {matrix.data && matrix.data.units.length > 0 ? (
              <div className="matrix-wrap" tabIndex={0} role="region" aria-label={t('matrix')}>
                <table className="matrix">
                  <thead>
                    <tr>
                      <th scope="col">{t('colUnit')}</th>
                      {matrix.data.items.map((i) => (
                        <th scope="col" key={i.key} title={i.title}>
                          {i.key}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {matrix.data.units.map((u) => (
                      <tr key={u.code}>
                        <th scope="row">{u.name}</th>
                        {matrix.data!.items.map((i) => {
                          const c = cellOf.get(`${u.code}|${i.key}`);
                          if (!c || c.total === 0) return <td key={i.key} />;
                          const tl: Timeliness | null = c.timeliness;
                          return (
                            <td key={i.key}>
                              <button
                                type="button"
                                style={{ background: tl ? TIMELINESS_COLOR[tl] : '#bfbfbf' }}
                                title={`${u.name} · ${i.key}: ${tl ? t(`tl_${tl}`) : ''}`}
                                aria-label={`${u.name} · ${i.key}: ${c.done}/${c.total}`}
                                onClick={() => navigate(inboxLink(planId, { unitCode: u.code, q: i.key }))}
                              >
                                {c.done}/{c.total}
                              </button>
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty description={t('noData')} />
            )}
          </Section>
        </Col>
        <Col xs={24}>
          <Section title={t('overdueList')}>
            <AssignmentList
              items={overdue.data?.items ?? []}
              loading={overdue.loading}
              paging={{ page: overduePage, pageSize: 10, total: overdue.data?.total ?? 0, onChange: (p) => setOverduePage(p) }}
              showUnit
              extraColumn={{ title: `${t('colDaysLate')} / ${t('colEscalation')}`, render: (a) => `${a.daysLate ?? (a.daysLeft !== null ? -a.daysLeft : '—')} / ${a.escalationLevel}` }}
            />
          </Section>
        </Col>
        <Col xs={24} xl={12}>
          <Section title={t('indicatorsTitle')}>
            <Table<IndicatorProgress>
              size="small"
              rowKey={(r) => `${r.objectiveKey}:${r.indicatorKey}`}
              dataSource={indicators.data ?? []}
              pagination={false}
              scroll={{ x: 420 }}
              locale={{ emptyText: t('noData') }}
              columns={[
                { title: t('indicators'), key: 's', render: (_, r) => `${r.indicatorKey} · ${r.subject}` },
                { title: t('target'), key: 't', width: 90, render: (_, r) => (r.kind === 'percent' ? `${r.target}%` : r.kind === 'ratio' ? `${r.target}/${r.denominator ?? '?'}` : r.target) },
                { title: t('reported'), key: 'r', width: 100, render: (_, r) => (r.kind === 'percent' ? (r.reported.average === null ? '—' : `${Math.round(r.reported.average * 10) / 10}%`) : r.reported.sum) },
                { title: t('unitsReported'), key: 'u', width: 90, render: (_, r) => r.reported.units },
              ]}
            />
          </Section>
        </Col>
        <Col xs={24} xl={12}>
          <Section title={t('timeline')}>
            {(timeline.data ?? []).length === 0 ? (
              <Empty description={t('noData')} />
            ) : (
              <div style={{ width: '100%', height: 280 }} role="img" aria-label={t('timeline')}>
                <ResponsiveContainer>
                  <LineChart data={(timeline.data ?? []).map((p) => ({ ...p, label: formatDate(p.date) }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="label" tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Legend />
                    <Line type="monotone" dataKey="total" name={t('total')} stroke="#595959" dot={false} />
                    <Line type="monotone" dataKey="done" name={t('done')} stroke={TIMELINESS_COLOR.done_late} dot={false} />
                    <Line type="monotone" dataKey="doneOnTime" name={t('doneOnTime')} stroke={TIMELINESS_COLOR.done_on_time} dot={false} />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            )}
          </Section>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('completionRate')} = {t('done')} / {t('total')}
      </Typography.Paragraph>
    </>
  );
}
