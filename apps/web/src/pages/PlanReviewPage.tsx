import { Alert, App as AntApp, Badge, Button, Card, Col, DatePicker, Empty, Form, Input, List, Modal, Progress, Row, Select, Space, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { ActivationProgress, PlanChange, PlanView, Responsibility, SourceLocation, UnitRef, ValidationResult } from '../api/types';
import { canCoordinate, useAuth } from '../auth';
import { ErrorAlert, Loading, PageTitle } from '../components/common';
import { formatDate } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

function UnitTag({ unit }: { unit: UnitRef }) {
  const { t } = useI18n();
  return unit.code ? (
    <Tag color="blue" title={unit.text}>
      {unit.code}
    </Tag>
  ) : (
    <Tag color="red" title={unit.text}>
      {t('unresolvedUnit')}: {unit.text}
    </Tag>
  );
}

function SourceLink({ source, onShow }: { source: SourceLocation; onShow(line: number): void }) {
  const { t } = useI18n();
  return (
    <Button type="link" size="small" className="number-link" onClick={() => onShow(source.line)}>
      {t('line', { n: source.line })}
    </Button>
  );
}

interface EditValues {
  code?: string;
  date?: Dayjs | null;
}

export function PlanReviewPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const { user } = useAuth();
  const { message } = AntApp.useApp();
  const loaded = useLoad(() => api.plan(id), [id]);
  const units = useLoad(() => api.organisation().then((o) => o.units), []);
  const [view, setView] = useState<PlanView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [editing, setEditing] = useState<Responsibility | null>(null);
  const [validation, setValidation] = useState<ValidationResult | null>(null);
  const [activation, setActivation] = useState<ActivationProgress | null>(null);
  const [form] = Form.useForm<EditValues>();
  const sourceRef = useRef<HTMLDivElement>(null);
  const editable = !!user && canCoordinate(user.role) && view?.status === 'draft';

  useEffect(() => {
    if (loaded.data) setView(loaded.data);
  }, [loaded.data]);

  useEffect(() => {
    if (highlight === null) return;
    sourceRef.current?.querySelector(`[data-line="${highlight}"]`)?.scrollIntoView({ block: 'center' });
  }, [highlight]);

  if (!view) {
    return (
      <>
        <PageTitle>{t('reviewTitle')}</PageTitle>
        {loaded.error ? <ErrorAlert error={loaded.error} onRetry={loaded.reload} /> : <Loading />}
      </>
    );
  }
  const plan = view.plan;

  const guard = async <R,>(fn: () => Promise<R>): Promise<R | undefined> => {
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
      return undefined;
    }
  };

  const resolve = (index: number) => {
    let note = '';
    Modal.confirm({
      title: t('resolve'),
      content: <Input.TextArea aria-label={t('resolveNote')} placeholder={t('resolveNote')} onChange={(e) => (note = e.target.value)} />,
      okText: t('save'),
      cancelText: t('cancel'),
      onOk: async () => {
        if (!note.trim()) throw new Error(t('required'));
        const next = await guard(() => api.resolveWarning(view.id, index, note.trim(), view.revision));
        if (next) setView(next);
      },
    });
  };

  const saveEdit = async (values: EditValues) => {
    if (!editing) return;
    const path = `responsibilities[${editing.key}]`;
    const changes: PlanChange[] = [];
    if (values.code && values.code !== editing.unitRef.code) {
      changes.push({ path: `${path}.unitRef`, value: { ...editing.unitRef, kind: 'unit', code: values.code } });
    }
    const date = values.date ? values.date.format('YYYY-MM-DD') : null;
    if (date && date !== editing.deadline?.date) {
      changes.push({ path: `${path}.deadline`, value: { date, kind: 'explicit', reason: t('edit') } });
    }
    if (changes.length === 0) return setEditing(null);
    const next = await guard(() => api.editPlan(view.id, view.revision, changes));
    if (next) {
      setView(next);
      setEditing(null);
      void message.success(t('saved'));
    }
  };

  const validate = async () => {
    const result = await guard(() => api.validatePlan(view.id));
    if (result) setValidation(result);
  };

  const activate = async () => {
    const preview = await guard(() => api.activationPreview(view.id));
    if (!preview) return;
    Modal.confirm({
      title: t('activate'),
      content: t('activateConfirm', { n: preview.assignments, units: preview.units }),
      okText: t('activate'),
      cancelText: t('cancel'),
      onOk: async () => {
        const started = await guard(() => api.activate(view.id));
        if (!started) return;
        setActivation({ workflowId: started.workflowId, status: 'RUNNING', started: 0, existing: 0, total: started.expected });
        for (let i = 0; i < 600; i++) {
          const p = await api.activation(view.id).catch(() => null);
          if (p) setActivation(p);
          if (p && p.status !== 'RUNNING') break;
          await new Promise((r) => setTimeout(r, 1000));
        }
        loaded.reload();
      },
    });
  };

  const unresolved = view.warnings.filter((w) => !w.resolved).length;
  const sectionTitle = (key: string) => plan.responsibilitySections.find((s) => s.key === key)?.heading ?? key;

  const structureTabs = [
    {
      key: 'resp',
      label: `${t('responsibilities')} (${plan.responsibilities.length})`,
      children: (
        <List
          size="small"
          dataSource={plan.responsibilities}
          renderItem={(r) => (
            <List.Item
              actions={editable ? [<Button key="e" size="small" onClick={() => { setEditing(r); form.setFieldsValue({ code: r.unitRef.code ?? undefined, date: r.deadline?.date ? dayjs(r.deadline.date) : null }); }} aria-label={`${t('edit')} ${r.key}`}>{t('edit')}</Button>] : undefined}
            >
              <div style={{ width: '100%' }}>
                <Space wrap size={4}>
                  <strong>{r.key}</strong>
                  <UnitTag unit={r.unitRef} />
                  <Tag>{t(r.role)}</Tag>
                  {r.recurrence.kinds.map((k) => (
                    <Tag key={k} color="purple">
                      {t(`rec_${k}`)}
                    </Tag>
                  ))}
                  {r.deadline ? (
                    <Tag color={r.deadline.kind === 'suggested' ? 'orange' : 'green'} title={r.deadline.reason}>
                      {t('deadline')}: {r.deadline.date ? formatDate(r.deadline.date) : r.deadline.reason}
                      {r.deadline.kind === 'suggested' ? ` (${t('suggested')})` : ''}
                    </Tag>
                  ) : (
                    <Tag>{t('noDeadline')}</Tag>
                  )}
                  <SourceLink source={r.source} onShow={setHighlight} />
                </Space>
                <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
                  {sectionTitle(r.sectionKey)}
                </Typography.Paragraph>
                <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                  {r.text}
                </Typography.Paragraph>
              </div>
            </List.Item>
          )}
        />
      ),
    },
    {
      key: 'obj',
      label: `${t('objectives')} (${plan.objectives.length})`,
      children: (
        <List
          size="small"
          dataSource={plan.objectives}
          renderItem={(o) => (
            <List.Item>
              <div>
                <strong>{o.number}.</strong> {o.text} <SourceLink source={o.source} onShow={setHighlight} />
                {o.indicators.length > 0 && (
                  <ul style={{ margin: '4px 0 0' }}>
                    {o.indicators.map((i, n) => (
                      <li key={n}>
                        {i.subject}: <strong>{i.kind === 'percent' ? `${i.target}%` : i.kind === 'ratio' ? `${i.target}/${i.denominator ?? '?'}` : i.target}</strong>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </List.Item>
          )}
        />
      ),
    },
    {
      key: 'tasks',
      label: `${t('tasks')} (${plan.tasks.length})`,
      children: (
        <List
          size="small"
          dataSource={plan.tasks}
          renderItem={(task) => (
            <List.Item>
              <div>
                <strong>{task.number}.</strong> {task.text} <SourceLink source={task.source} onShow={setHighlight} />
                <div>
                  {task.leadUnitRefs.map((u, i) => (
                    <UnitTag key={i} unit={u} />
                  ))}
                </div>
              </div>
            </List.Item>
          )}
        />
      ),
    },
    {
      key: 'report',
      label: `${t('reportingRules')} (${plan.reportingRules.length})`,
      children: (
        <List
          size="small"
          dataSource={plan.reportingRules}
          renderItem={(rule) => (
            <List.Item>
              <div>
                <Space wrap size={4}>
                  <strong>{rule.key}</strong>
                  {rule.reporterRefs.map((u, i) => (
                    <UnitTag key={i} unit={u} />
                  ))}
                  <Tag color="purple">{t(`rec_${rule.period}`)}</Tag>
                  <Tag color={rule.deadline.kind === 'suggested' ? 'orange' : 'green'}>
                    {t('deadline')}: {rule.deadline.date ? formatDate(rule.deadline.date) : rule.deadline.reason}
                  </Tag>
                  <SourceLink source={rule.source} onShow={setHighlight} />
                </Space>
                <div>{rule.text}</div>
              </div>
            </List.Item>
          )}
        />
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <Tag color={view.status === 'draft' ? 'gold' : 'blue'}>{t(`plan_${view.status}`)}</Tag>
            {editable && <Button onClick={() => void validate()}>{t('validate')}</Button>}
            {editable && (
              <Button type="primary" onClick={() => void activate()}>
                {t('activate')}
              </Button>
            )}
          </Space>
        }
      >
        {`${t('reviewTitle')}: ${plan.metadata.number ?? ''} ${plan.metadata.title}`}
      </PageTitle>
      <Typography.Paragraph type="secondary">
        {plan.metadata.issuer} · {formatDate(plan.metadata.issueDate)} · {t('year')} {plan.metadata.year}
      </Typography.Paragraph>
      <ErrorAlert error={error} />
      {validation && (
        <Alert
          style={{ marginBottom: 12 }}
          type={validation.valid ? 'success' : 'warning'}
          showIcon
          message={validation.valid ? t('valid') : `${t('problems')} (${validation.problems.length})`}
          description={
            validation.problems.length > 0 ? (
              <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 200, overflow: 'auto' }}>
                {validation.problems.map((p, i) => (
                  <li key={i}>
                    {p.path}: {p.message}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
          closable
          onClose={() => setValidation(null)}
        />
      )}
      {activation && (
        <Card size="small" style={{ marginBottom: 12 }} role="status" aria-live="polite">
          {activation.status === 'RUNNING' ? t('activationProgress', { started: activation.started + activation.existing, total: activation.total }) : t('activationDone', { total: activation.total })}
          <Progress percent={activation.total ? Math.round(((activation.started + activation.existing) / activation.total) * 100) : 0} />
        </Card>
      )}
      <Card
        size="small"
        style={{ marginBottom: 12 }}
        title={
          <h2 style={{ fontSize: 16, margin: 0 }}>
            {t('warnings')} <Badge count={unresolved} style={{ background: unresolved ? '#fa8c16' : '#52c41a' }} showZero />
          </h2>
        }
      >
        {view.warnings.length === 0 ? (
          <Empty description={t('none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <List
            size="small"
            style={{ maxHeight: 260, overflow: 'auto' }}
            dataSource={view.warnings}
            renderItem={(w) => (
              <List.Item
                actions={
                  editable && !w.resolved
                    ? [
                        <Button key="r" size="small" onClick={() => resolve(w.index)}>
                          {t('resolve')}
                        </Button>,
                      ]
                    : undefined
                }
              >
                <div>
                  <Space wrap size={4}>
                    <Tag color={w.resolved ? 'green' : 'orange'}>{w.resolved ? t('resolved') : w.code}</Tag>
                    {w.line !== null && (
                      <Button type="link" size="small" className="number-link" onClick={() => setHighlight(w.line)}>
                        {t('line', { n: w.line })}
                      </Button>
                    )}
                  </Space>
                  <div>{w.message}</div>
                  {w.resolution && <Typography.Text type="secondary">{w.resolution.note}</Typography.Text>}
                </div>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={10}>
          <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('sourceText')}</h2>}>
            <div className="source-pane" ref={sourceRef} tabIndex={0} role="region" aria-label={t('sourceText')}>
              {view.source.lines.map((l) => (
                <div key={l.number} data-line={l.number} className={`source-line${highlight === l.number ? ' highlight' : ''}`}>
                  <span className="num">{l.number}</span>
                  <span>{l.text}</span>
                </div>
              ))}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('structure')}</h2>}>
            <div className="structure-pane">
              <Tabs items={structureTabs} />
            </div>
          </Card>
        </Col>
      </Row>
      <Modal open={!!editing} title={editing ? `${t('edit')} ${editing.key}` : ''} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText={t('save')} cancelText={t('cancel')} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void saveEdit(v)}>
          <Form.Item name="code" label={t('unit')}>
            <Select
              showSearch
              optionFilterProp="label"
              options={(units.data ?? []).map((u) => ({ value: u.code, label: `${u.code} · ${u.name}` }))}
            />
          </Form.Item>
          <Form.Item name="date" label={t('deadline')}>
            <DatePicker format="DD/MM/YYYY" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
