import { Alert, App as AntApp, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, List, Progress, Row, Select, Space, Timeline, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd/es/upload/interface';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { ActionResult, AssignmentAction, AssignmentDetail, Attachment, IndicatorValue } from '../api/types';
import { canCoordinate, isUnitRole, useAuth } from '../auth';
import { ErrorAlert, Loading, PageTitle } from '../components/common';
import { formatDate, formatDateTime, formatDaysLeft, formatSize } from '../format';
import { useLoad } from '../hooks';
import { isMessageKey, type MessageKey, useI18n } from '../i18n';
import { StatusTag, TimelinessTag } from '../timeliness';
import { type Coordination, CoordinationCard, RoleTag } from './coordination';

type A = AssignmentDetail['assignment'];
const OPEN = new Set(['assigned', 'acknowledged', 'in_progress', 'returned']);

interface SubmitForm {
  text: string;
  indicators?: Array<{ indicatorKey?: string; value?: number; denominator?: number }>;
}

function ReviewPanel({ busy, onApprove, onReturn }: { busy: string | null; onApprove(comment?: string): void; onReturn(comment: string): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ comment?: string }>();
  const comment = (): string => String(form.getFieldValue('comment') ?? '').trim();
  return (
    <Form form={form} layout="vertical">
      <Form.Item name="comment" label={t('comment')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Space wrap>
        <Button type="primary" loading={busy === 'approve'} onClick={() => onApprove(comment() || undefined)}>
          {t('approve')}
        </Button>
        <Button
          danger
          loading={busy === 'return'}
          onClick={() => {
            if (!comment()) {
              form.setFields([{ name: 'comment', errors: [t('commentRequired')] }]);
              return;
            }
            onReturn(comment());
          }}
        >
          {t('returnReport')}
        </Button>
      </Space>
    </Form>
  );
}

function ActionPanel({ a, onDone }: { a: A; onDone(result: ActionResult): void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [files, setFiles] = useState<UploadFile<Attachment>[]>([]);
  const [submitForm] = Form.useForm<SubmitForm>();
  // Indicator keys are '<objectiveKey>.<position>' (docs/api-contract.md): offer the plan's own.
  const plan = useLoad(() => api.plan(a.planId), [a.planId]);
  const indicatorOptions = (plan.data?.plan.objectives ?? []).flatMap((o) =>
    o.indicators.map((ind, i) => ({ value: `${o.key}.${i + 1}`, label: `${o.key}.${i + 1} · ${ind.subject}` })),
  );
  if (!user) return null;
  const unit = isUnitRole(user.role);
  const coord = canCoordinate(user.role);

  const run = async (label: MessageKey, action: AssignmentAction): Promise<boolean> => {
    setBusy(action.type);
    setError(null);
    try {
      const result = await api.act(a.workflowId, action);
      void message.success(t('actionDone', { action: t(label) }));
      onDone(result);
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const uploaded = files.filter((f) => f.status === 'done' && f.response).map((f) => f.response as Attachment);
  const uploading = files.some((f) => f.status === 'uploading');

  const submit = async (v: SubmitForm) => {
    const indicatorValues: IndicatorValue[] = (v.indicators ?? [])
      .filter((i): i is { indicatorKey: string; value: number; denominator?: number } => !!i.indicatorKey && typeof i.value === 'number')
      .map((i) => ({ indicatorKey: i.indicatorKey, value: i.value, ...(i.denominator ? { denominator: i.denominator } : {}) }));
    const ok = await run('submitReport', {
      type: 'submit',
      text: v.text,
      indicatorValues,
      attachments: uploaded.map(({ id, name, size }) => ({ id, name, size })),
    });
    if (ok) {
      submitForm.resetFields();
      setFiles([]);
    }
  };

  const panels = [];
  if (unit && a.status === 'assigned') {
    panels.push(
      <Button key="ack" type="primary" loading={busy === 'acknowledge'} onClick={() => void run('acknowledge', { type: 'acknowledge' })}>
        {t('acknowledge')}
      </Button>,
    );
  }
  if (unit && OPEN.has(a.status)) {
    panels.push(
      <Card key="progress" size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('reportProgress')}</h2>}>
        <Form layout="inline" onFinish={(v: { percent: number; comment?: string }) => void run('reportProgress', { type: 'progress', percent: v.percent, comment: v.comment || undefined })} initialValues={{ percent: a.progress }}>
          <Form.Item name="percent" label={t('percent')} rules={[{ required: true, message: t('required') }]}>
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Form.Item name="comment" label={t('comment')}>
            <Input />
          </Form.Item>
          <Button htmlType="submit" loading={busy === 'progress'}>
            {t('save')}
          </Button>
        </Form>
      </Card>,
      <Card key="submit" size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('submitReport')}</h2>}>
        <Form<SubmitForm> form={submitForm} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="text" label={t('reportText')} rules={[{ required: true, message: t('required') }]}>
            <Input.TextArea rows={4} maxLength={20000} />
          </Form.Item>
          <Form.List name="indicators">
            {(fields, { add, remove }) => (
              <fieldset style={{ border: 0, padding: 0, margin: '0 0 12px' }}>
                <legend style={{ fontSize: 14, marginBottom: 4 }}>{t('indicatorValues')}</legend>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="baseline">
                    <Form.Item name={[f.name, 'indicatorKey']} rules={[{ required: true, message: t('required') }]}>
                      <Select
                        showSearch
                        optionFilterProp="label"
                        placeholder={t('indicatorKey')}
                        aria-label={t('indicatorKey')}
                        options={indicatorOptions}
                        style={{ width: 'min(420px, 80vw)' }}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'value']} rules={[{ required: true, message: t('required') }]}>
                      <InputNumber placeholder={t('value')} aria-label={t('value')} />
                    </Form.Item>
                    <Button onClick={() => remove(f.name)}>{t('remove')}</Button>
                  </Space>
                ))}
                <Button onClick={() => add()}>{t('addIndicator')}</Button>
              </fieldset>
            )}
          </Form.List>
          <Form.Item label={t('attachments')}>
            <Upload<Attachment>
              fileList={files}
              onChange={({ fileList }) => setFiles(fileList)}
              customRequest={({ file, onProgress, onSuccess, onError }) => {
                if (!(file instanceof File)) return;
                api
                  .uploadAttachment(a.workflowId, file, (percent) => onProgress?.({ percent }))
                  .then((res) => onSuccess?.(res))
                  .catch((err: unknown) => {
                    const e = err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err));
                    setError(e);
                    onError?.(e);
                  });
              }}
            >
              <Button>{t('chooseFile')}</Button>
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy === 'submit'} disabled={uploading}>
            {t('submitReport')}
          </Button>
        </Form>
      </Card>,
    );
    if (!a.pendingExtension) {
      panels.push(
        <Card key="ext" size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('requestExtension')}</h2>}>
          <Form
            layout="vertical"
            onFinish={(v: { newDeadline: Dayjs; reason: string }) =>
              void run('requestExtension', { type: 'request-extension', newDeadline: `${v.newDeadline.format('YYYY-MM-DD')}T23:59:59+07:00`, reason: v.reason })
            }
          >
            <Form.Item name="newDeadline" label={t('newDeadline')} rules={[{ required: true, message: t('required') }]}>
              <DatePicker format="DD/MM/YYYY" />
            </Form.Item>
            <Form.Item name="reason" label={t('reason')} rules={[{ required: true, message: t('required') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Button htmlType="submit" loading={busy === 'request-extension'}>
              {t('requestExtension')}
            </Button>
          </Form>
        </Card>,
      );
    }
  }
  if (coord && a.status === 'submitted') {
    panels.push(
      <Card key="review" size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('approve')} / {t('returnReport')}</h2>}>
        <ReviewPanel busy={busy} onApprove={(comment) => void run('approve', { type: 'approve', comment })} onReturn={(comment) => void run('returnReport', { type: 'return', comment })} />
      </Card>,
    );
  }
  if (coord && a.pendingExtension) {
    panels.push(
      <Card key="decide" size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('decideExtension')}</h2>}>
        <Space wrap>
          <Button type="primary" loading={busy === 'decide-extension'} onClick={() => void run('grant', { type: 'decide-extension', grant: true })}>
            {t('grant')}
          </Button>
          <Button danger loading={busy === 'decide-extension'} onClick={() => void run('refuse', { type: 'decide-extension', grant: false })}>
            {t('refuse')}
          </Button>
        </Space>
      </Card>,
    );
  }
  if (panels.length === 0 && !error) return null;
  return (
    <section aria-label={t('actions')} style={{ marginTop: 16 }}>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('actions')}
      </Typography.Title>
      <ErrorAlert error={error} />
      <Space direction="vertical" style={{ width: '100%' }}>
        {panels}
      </Space>
    </section>
  );
}

export function AssignmentPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { workflowId = '' } = useParams();
  const detail = useLoad(() => api.assignment(workflowId), [workflowId]);
  const d = detail.data;
  // The detail comes from the read model, which follows the workflow a moment later (longer under load):
  // after an action, show what the workflow answered and re-read until the read model agrees.
  const [awaiting, setAwaiting] = useState<{ result: ActionResult; tries: number } | null>(null);
  const stored = d?.assignment;
  const caughtUp = !!stored && !!awaiting && stored.status === awaiting.result.status && stored.progress === awaiting.result.progress;
  const a: A | undefined =
    stored && awaiting && !caughtUp
      ? {
          ...stored,
          status: awaiting.result.status,
          progress: awaiting.result.progress,
          submission: awaiting.result.submission ?? stored.submission,
          pendingExtension: awaiting.result.pendingExtension !== undefined ? awaiting.result.pendingExtension : stored.pendingExtension,
        }
      : stored;
  const reload = detail.reload;
  useEffect(() => {
    if (!awaiting || detail.loading) return;
    if (caughtUp || awaiting.tries >= 60) {
      setAwaiting(null);
      return;
    }
    const timer = setTimeout(() => {
      setAwaiting({ ...awaiting, tries: awaiting.tries + 1 });
      reload();
    }, 1000);
    return () => clearTimeout(timer);
  }, [awaiting, caughtUp, detail.loading, reload]);

  if (!d || !a) {
    return (
      <>
        <PageTitle>{t('assignmentTitle')}</PageTitle>
        {detail.error ? <ErrorAlert error={detail.error} onRetry={detail.reload} /> : <Loading />}
      </>
    );
  }
  const eventLabel = (type: string): string => {
    const key = `ev_${type}`;
    return isMessageKey(key) ? t(key) : type;
  };

  return (
    <>
      <PageTitle>{`${a.itemKey} · ${t('assignmentTitle')}`}</PageTitle>
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card size="small">
            <Space wrap style={{ marginBottom: 8 }}>
              {a.kind === 'responsibility' && <RoleTag role={a.role} />}
              <StatusTag value={a.status} />
              <TimelinessTag value={a.timeliness} />
            </Space>
            <Typography.Title level={2} style={{ fontSize: 16 }}>
              {t('responsibility')}
            </Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{a.title}</Typography.Paragraph>
            <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }} bordered>
              <Descriptions.Item label={t('plan')}>{d.plan ? `${d.plan.number ?? ''} ${d.plan.title}`.trim() : a.planTitle}</Descriptions.Item>
              <Descriptions.Item label={t('colUnit')}>
                {a.unitName} {a.role ? <RoleTag role={a.role} /> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('deadline')}>
                <strong style={{ whiteSpace: 'nowrap' }}>{formatDate(a.deadline)}</strong> {a.daysLeft !== null ? `— ${formatDaysLeft(a.daysLeft, t)}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('colPeriod')}>{a.periodLabel || a.periodKey}</Descriptions.Item>
              <Descriptions.Item label={t('progress')}>
                <Progress percent={a.progress} size="small" style={{ minWidth: 120 }} />
                {a.progressNote && <div>{a.progressNote}</div>}
              </Descriptions.Item>
              <Descriptions.Item label={t('escalationLevel')}>{a.escalationLevel}</Descriptions.Item>
            </Descriptions>
            {d.place && (
              <div style={{ marginTop: 12 }}>
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  {t('placeInPlan')}
                </Typography.Title>
                <Typography.Paragraph>
                  {t('section')} {d.place.sectionKey}: {d.place.sectionHeading}{' '}
                  <Typography.Text type="secondary">({t('sourceLines', { from: d.place.source.line, to: d.place.source.endLine })})</Typography.Text>
                </Typography.Paragraph>
                <blockquote style={{ borderLeft: '3px solid #d9d9d9', margin: 0, paddingLeft: 12, whiteSpace: 'pre-wrap' }}>{d.place.text}</blockquote>
                {d.plan && <Link to={`/plans/${encodeURIComponent(d.plan.id)}`}>{t('open')}: {t('plan')}</Link>}
              </div>
            )}
            <CoordinationCard role={a.role} coordination={(d as AssignmentDetail & { coordination?: Coordination | null }).coordination} linkable={!!user && !isUnitRole(user.role)} />
            {a.pendingExtension && (
              <Alert
                style={{ marginTop: 12 }}
                type="warning"
                showIcon
                message={`${t('pendingExtension')}: ${formatDate(a.pendingExtension.newDeadline)}`}
                description={a.pendingExtension.reason}
              />
            )}
            {a.submission && (
              <Card size="small" style={{ marginTop: 12 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('submission')}</h2>}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{a.submission.text}</Typography.Paragraph>
                <Typography.Text type="secondary">
                  {t('submittedAt')}: {formatDateTime(a.submission.submittedAt)}
                </Typography.Text>
                {a.submission.indicatorValues.length > 0 && (
                  <ul>
                    {a.submission.indicatorValues.map((v) => (
                      <li key={v.indicatorKey}>
                        {v.indicatorKey}: {v.value}
                        {v.denominator ? `/${v.denominator}` : ''}
                      </li>
                    ))}
                  </ul>
                )}
                {a.submission.attachments.length > 0 && (
                  <List
                    size="small"
                    header={t('attachments')}
                    dataSource={a.submission.attachments}
                    renderItem={(f) => (
                      <List.Item>
                        <a href={api.attachmentUrl(f.id)} download={f.name}>
                          {f.name}
                        </a>{' '}
                        ({formatSize(f.size)})
                      </List.Item>
                    )}
                  />
                )}
              </Card>
            )}
          </Card>
          <ActionPanel a={a} onDone={(result) => setAwaiting({ result, tries: 0 })} />
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('history')}</h2>}>
            <Timeline
              items={d.events.map((e) => ({
                key: e.seq,
                children: (
                  <div>
                    <strong>{eventLabel(e.type)}</strong> · {formatDateTime(e.at)}
                    <div>
                      <Typography.Text type="secondary">{e.actorName ?? e.actor}</Typography.Text>
                    </div>
                    {e.comment && <div>{e.comment}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
          <Card size="small" style={{ marginTop: 16 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('notificationsSent')}</h2>}>
            <List
              size="small"
              dataSource={d.notifications ?? []}
              locale={{ emptyText: t('none') }}
              renderItem={(n) => (
                <List.Item key={`${n.stepKey}:${n.recipient}`}>
                  <div style={{ minWidth: 0 }}>
                    <div style={{ fontWeight: 500 }}>{n.subject ?? n.kind}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('recipient')}: {n.recipient} · {t('sentAt')}: {formatDateTime(n.sentAt)}
                    </Typography.Text>
                  </div>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
