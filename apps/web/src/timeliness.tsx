// One colour per timeliness class, defined here and used by tags, counts, charts and the matrix.
import { Tag } from 'antd';
import type { AssignmentStatus, Timeliness } from './api/types';
import { useI18n } from './i18n';

export const TIMELINESS_COLOR: Record<Timeliness, string> = {
  done_on_time: '#389e0d',
  done_late: '#d4a017',
  open_on_time: '#1677ff',
  due_soon: '#fa8c16',
  open_overdue: '#cf1322',
  no_deadline: '#8c8c8c',
};

export const STATUS_COLOR: Record<AssignmentStatus, string> = {
  assigned: 'default',
  acknowledged: 'cyan',
  in_progress: 'blue',
  submitted: 'purple',
  returned: 'magenta',
  done: 'green',
  cancelled: 'default',
};

export function TimelinessTag({ value }: { value: Timeliness | null }) {
  const { t } = useI18n();
  if (!value) return null;
  return (
    <Tag color={TIMELINESS_COLOR[value]} style={{ whiteSpace: 'normal' }}>
      {t(`tl_${value}`)}
    </Tag>
  );
}

export function StatusTag({ value }: { value: AssignmentStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[value]}>{t(`status_${value}`)}</Tag>;
}
