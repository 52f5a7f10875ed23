// The assignment list used by the inbox, the review queue and the dashboard's drill-downs:
// a table on wide screens, one card per assignment on phones.
import { Card, Empty, Grid, Pagination, Progress, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { AssignmentListItem } from '../api/types';
import { formatDate, formatDaysLeft } from '../format';
import { useI18n } from '../i18n';
import { StatusTag, TIMELINESS_COLOR, TimelinessTag } from '../timeliness';

export interface ListPaging {
  page: number;
  pageSize: number;
  total: number;
  onChange(page: number, pageSize: number): void;
}

export function assignmentPath(workflowId: string): string {
  return `/assignments/${encodeURIComponent(workflowId)}`;
}

export function AssignmentList({
  items,
  loading,
  paging,
  showUnit = false,
  extraColumn,
  caption,
}: {
  items: AssignmentListItem[];
  loading?: boolean;
  paging?: ListPaging;
  showUnit?: boolean;
  extraColumn?: { title: string; render(item: AssignmentListItem): ReactNode };
  caption?: string;
}) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;

  const border = (a: AssignmentListItem) => ({ borderLeft: `5px solid ${a.timeliness ? TIMELINESS_COLOR[a.timeliness] : 'transparent'}` });

  if (phone) {
    return (
      <section aria-label={caption} className="card-list">
        {items.length === 0 && !loading && <Empty description={t('noData')} />}
        {items.map((a) => (
          <Card key={a.workflowId} size="small" style={border(a)}>
            <Link to={assignmentPath(a.workflowId)} className="clamp" style={{ fontWeight: 600 }}>
              {a.itemKey} · {a.title}
            </Link>
            {showUnit && <div>{a.unitName}</div>}
            <Space wrap size={4} style={{ marginTop: 6 }}>
              <StatusTag value={a.status} />
              <TimelinessTag value={a.timeliness} />
            </Space>
            <div style={{ marginTop: 4 }}>
              <Typography.Text type="secondary">
                {t('colDeadline')}: {formatDate(a.deadline)} {a.daysLeft !== null ? `(${formatDaysLeft(a.daysLeft, t)})` : ''}{a.periodLabel ? ` · ${a.periodLabel}` : ''}
              </Typography.Text>
            </div>
            {extraColumn && <div>{extraColumn.render(a)}</div>}
          </Card>
        ))}
        {paging && (
          <Pagination
            simple
            current={paging.page}
            pageSize={paging.pageSize}
            total={paging.total}
            onChange={paging.onChange}
            style={{ marginTop: 8, textAlign: 'center' }}
          />
        )}
      </section>
    );
  }

  const columns: ColumnsType<AssignmentListItem> = [
    {
      title: t('colTask'),
      key: 'title',
      onCell: (a) => ({ style: border(a) }),
      render: (_, a) => (
        <div>
          <Link to={assignmentPath(a.workflowId)}>
            <strong>{a.itemKey}</strong> · {a.title.length > 220 ? `${a.title.slice(0, 220)}…` : a.title}
          </Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.planTitle}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    ...(showUnit ? [{ title: t('colUnit'), key: 'unit', width: 180, render: (_: unknown, a: AssignmentListItem) => a.unitName }] : []),
    { title: t('colPeriod'), key: 'period', width: 110, render: (_, a) => a.periodLabel || a.periodKey },
    {
      title: t('colDeadline'),
      key: 'deadline',
      width: 140,
      render: (_, a) => (
        <div>
          {formatDate(a.deadline)}
          <div style={{ fontSize: 12 }}>{formatDaysLeft(a.daysLeft, t, a.deadline)}</div>
        </div>
      ),
    },
    { title: t('colStatus'), key: 'status', width: 130, render: (_, a) => <StatusTag value={a.status} /> },
    { title: t('colTimeliness'), key: 'timeliness', width: 170, render: (_, a) => <TimelinessTag value={a.timeliness} /> },
    { title: t('colProgress'), key: 'progress', width: 110, render: (_, a) => <Progress percent={a.progress} size="small" aria-label={`${t('progress')} ${a.progress}%`} /> },
    ...(extraColumn ? [{ title: extraColumn.title, key: 'extra', render: (_: unknown, a: AssignmentListItem) => extraColumn.render(a) }] : []),
  ];

  return (
    <Table<AssignmentListItem>
      rowKey="workflowId"
      size="middle"
      loading={loading}
      dataSource={items}
      columns={columns}
      scroll={{ x: 900 }}
      title={caption ? () => <Typography.Text strong>{caption}</Typography.Text> : undefined}
      locale={{ emptyText: t('noData') }}
      pagination={
        paging
          ? { current: paging.page, pageSize: paging.pageSize, total: paging.total, onChange: paging.onChange, showSizeChanger: true, showTotal: (n) => t('itemsTotal', { n }) }
          : false
      }
    />
  );
}
