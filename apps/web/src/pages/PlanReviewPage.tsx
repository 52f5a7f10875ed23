import { Alert, App as AntApp, Badge, Button, Card, Checkbox, Col, DatePicker, Empty, Form, Input, List, Modal, Progress, Row, Select, Space, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { ActivationProgress, AmendmentView, DutyOp, PlanChange, PlanView, Responsibility, SourceLocation, UnitRef, ValidationResult } from '../api/types';
import { canCoordinate, useAuth } from '../auth';
import { ErrorAlert, Loading, PageTitle } from '../components/common';
import { DutyModal, MergeModal, SplitModal, type UnitOption } from '../components/plan-review/DutyModals';
import { formatDate } from '../format';
import { useLoad } from '../hooks';
import { isMessageKey, type MessageKey, useI18n } from '../i18n';
import { ActivationPreviewContent, NoticeForecastContent, noticesOf } from './coordination';

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
  /** Required when the plan is active: the edit is an amendment. */
  reason?: string;
}

function AmendmentLine({ a }: { a: AmendmentView }) {
  const { t } = useI18n();
  const r = a.result ?? a.progress ?? { started: 0, cancelled: 0, amended: 0, skipped: 0, total: 0 };
  return (
    <span>
      {a.status === 'running' ? t('amendRunning', { ...r }) : t('amendDone', { ...r, revision: a.toRevision })}
      {a.status === 'cancelled' && <Tag style={{ marginLeft: 6 }}>{t('plan_cancelled')}</Tag>}
    </span>
  );
}

export function PlanReviewPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const { user } = useAuth();
  // The App context's modal, not Modal.confirm: static calls cannot see the theme and locale.
  const { message, modal } = AntApp.useApp();
  const loaded = useLoad(() => api.plan(id), [id]);
  const organisation = useLoad(() => api.organisation(), []);
  const units = organisation.data?.units;
  // Duties go to units or to groups ('UBND các xã, thị trấn'); the pickers of a draft offer both.
  const unitOptions: UnitOption[] = [...(units ?? []), ...(organisation.data?.groups ?? []).map((g) => ({ ...g, group: true }))];
  const [view, setView] = useState<PlanView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [editing, setEditing] = useState<Responsibility | null>(null);
  const [validation, setValidation] = useState<ValidationResult | null>(null);
  const [activation, setActivation] = useState<ActivationProgress | null>(null);
  const [amendments, setAmendments] = useState<AmendmentView[]>([]);
  // Draft tools: the duty being added (null) or edited, the one being split, the ones chosen for merging.
  const [dutyEdit, setDutyEdit] = useState<{ duty: Responsibility | null } | null>(null);
  const [splitting, setSplitting] = useState<Responsibility | null>(null);
  const [merging, setMerging] = useState<string[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [form] = Form.useForm<EditValues>();
  const sourceRef = useRef<HTMLDivElement>(null);
  const editable = !!user && canCoordinate(user.role) && view?.status === 'draft';
  // An active plan changes only by amendment: previewed, confirmed with a reason, carried into the running work.
  const amendable = !!user && canCoordinate(user.role) && view?.status === 'active';
  const coordinator = !!user && canCoordinate(user.role);

  useEffect(() => {
    if (loaded.data) setView(loaded.data);
  }, [loaded.data]);

  useEffect(() => {
    if (!coordinator || !loaded.data || loaded.data.status === 'draft') return;
    api.amendments(loaded.data.id).then(setAmendments, () => setAmendments([]));
  }, [coordinator, loaded.data]);

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
    modal.confirm({
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

  /**
   * One op on a draft's duties, sent against the revision on screen; the page then shows the plan the server
   * answered with (its new revision), so the next edit builds on what was stored. A stale revision reloads.
   */
  const sendOp = async (op: DutyOp): Promise<ApiError | null> => {
    setError(null);
    try {
      const next = await api.editPlan(view.id, view.revision, [op]);
      setView(next);
      setSelected((keys) => keys.filter((k) => next.plan.responsibilities.some((r) => r.key === k) && !(op.op === 'merge' && op.keys.includes(k))));
      void message.success(t('saved'));
      return null;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err));
      if (e.status === 409) loaded.reload();
      return e;
    }
  };

  const deleteDuty = (r: Responsibility) => {
    modal.confirm({
      title: `${t('deleteDuty')} ${r.key}`,
      content: t('deleteDutyConfirm', { key: r.key }),
      okText: t('deleteDuty'),
      okButtonProps: { danger: true },
      cancelText: t('cancel'),
      onOk: async () => {
        const refused = await sendOp({ op: 'delete', key: r.key });
        if (refused) setError(refused);
      },
    });
  };

  const saveEdit = (values: EditValues) => {
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
    setEditing(null);
    // Only an active plan's duties open this form (a draft's open DutyModal): the change is an amendment.
    if (changes.length > 0) return amendPlan(changes, values.reason?.trim() ?? '');
  };

  /** Preview, confirm with the counts, then follow the amendment workflow until it is done. */
  const amendPlan = async (changes: PlanChange[], reason: string) => {
    const preview = await guard(() => api.amendmentPreview(view.id, view.revision, changes));
    if (!preview) return;
    // What the started and changed work will mail (overdue, due soon, emails per recipient): pages/coordination.tsx.
    const notices = noticesOf(preview);
    modal.confirm({
      title: t('amendTitle'),
      width: notices ? 640 : undefined,
      content: (
        <>
          <p>{t('amendConfirm', { ...preview.counts })}</p>
          {notices && <NoticeForecastContent notices={notices} />}
        </>
      ),
      okText: t('amend'),
      cancelText: t('cancel'),
      onOk: async () => {
        const started = await guard(() => api.amend(view.id, view.revision, changes, reason));
        if (!started) return;
        let current = started;
        setAmendments((list) => [current, ...list]);
        for (let i = 0; i < 600 && current.status === 'running'; i++) {
          await new Promise((r) => setTimeout(r, 1000));
          const next = await api.amendment(view.id, started.id).catch(() => null);
          if (next) {
            current = next;
            setAmendments((list) => list.map((a) => (a.id === next.id ? next : a)));
          }
        }
        loaded.reload();
      },
    });
  };

  const removeResponsibility = (r: Responsibility) => {
    let reason = '';
    modal.confirm({
      title: `${t('amendRemove')} ${r.key}`,
      content: <Input.TextArea aria-label={t('amendReason')} placeholder={t('amendReason')} onChange={(e) => (reason = e.target.value)} />,
      okText: t('amend'),
      cancelText: t('cancel'),
      onOk: () => {
        if (!reason.trim()) throw new Error(t('required'));
        void amendPlan([{ op: 'remove', path: `responsibilities[${r.key}]` }], reason.trim());
      },
    });
  };

  const endPlan = (action: 'cancel' | 'close') => {
    let reason = '';
    modal.confirm({
      title: t(action === 'cancel' ? 'cancelPlan' : 'closePlan'),
      content: (
        <>
          <p>{t('endConfirm')}</p>
          <Input.TextArea aria-label={t('reason')} onChange={(e) => (reason = e.target.value)} />
        </>
      ),
      okText: t(action === 'cancel' ? 'cancelPlan' : 'closePlan'),
      okButtonProps: { danger: action === 'cancel' },
      cancelText: t('cancel'),
      onOk: async () => {
        if (!reason.trim()) throw new Error(t('required'));
        if (await guard(() => api.endPlan(view.id, action, reason.trim()))) {
          void message.info(t('endStarted'));
          setTimeout(() => loaded.reload(), 3000);
        }
      },
    });
  };

  const validate = async () => {
    const result = await guard(() => api.validatePlan(view.id));
    if (result) setValidation(result);
  };

  const activate = async () => {
    const preview = await guard(() => api.activationPreview(view.id));
    if (!preview) return;
    modal.confirm({
      title: t('activate'),
      // Room for the table of emails per kind of recipient.
      width: 640,
      // What activation carries and what it cannot (warnings, blocks, working-day dates): pages/coordination.tsx.
      content: <ActivationPreviewContent preview={preview} />,
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
        <>
          {editable && (
            <Space wrap style={{ marginBottom: 8 }}>
              <Button type="primary" onClick={() => setDutyEdit({ duty: null })}>
                {t('addDuty')}
              </Button>
              <Button disabled={selected.length < 2} onClick={() => setMerging(plan.responsibilities.map((r) => r.key).filter((k) => selected.includes(k)))}>
                {t('mergeDuties')}
                {selected.length > 0 ? ` (${selected.length})` : ''}
              </Button>
            </Space>
          )}
        <List
          size="small"
          locale={{ emptyText: editable ? t('noDuties') : t('none') }}
          dataSource={plan.responsibilities}
          renderItem={(r) => (
            <List.Item
              actions={
                editable
                  ? [
                      <Checkbox
                        key="s"
                        checked={selected.includes(r.key)}
                        onChange={(e) => setSelected((keys) => (e.target.checked ? [...keys, r.key] : keys.filter((k) => k !== r.key)))}
                        aria-label={t('selectForMerge', { key: r.key })}
                      />,
                      <Button key="e" size="small" onClick={() => setDutyEdit({ duty: r })} aria-label={`${t('edit')} ${r.key}`}>
                        {t('edit')}
                      </Button>,
                      <Button key="t" size="small" onClick={() => setSplitting(r)} aria-label={`${t('splitDuty')} ${r.key}`}>
                        {t('splitDuty')}
                      </Button>,
                      <Button key="x" size="small" danger onClick={() => deleteDuty(r)} aria-label={`${t('deleteDuty')} ${r.key}`}>
                        {t('deleteDuty')}
                      </Button>,
                    ]
                  : amendable
                  ? [
                      <Button key="e" size="small" onClick={() => setEditing(r)} aria-label={`${t(amendable ? 'amend' : 'edit')} ${r.key}`}>
                        {t(amendable ? 'amend' : 'edit')}
                      </Button>,
                      ...(amendable
                        ? [
                            <Button key="x" size="small" danger onClick={() => removeResponsibility(r)} aria-label={`${t('amendRemove')} ${r.key}`}>
                              {t('amendRemove')}
                            </Button>,
                          ]
                        : []),
                    ]
                  : undefined
              }
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
                      {t('deadline')}: {r.deadline.date ? formatDate(r.deadline.date) : r.deadline.workingDays ? t('workingDaysN', { n: r.deadline.workingDays }) : r.deadline.reason}
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
                {(r.coordinatingUnitRefs?.length ?? 0) > 0 && (
                  <Space wrap size={4}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('coordinatingUnits')}:
                    </Typography.Text>
                    {r.coordinatingUnitRefs?.map((u, i) => <UnitTag key={i} unit={u} />)}
                  </Space>
                )}
                <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                  {r.text}
                </Typography.Paragraph>
              </div>
            </List.Item>
          )}
        />
        </>
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
            {amendable && <Button onClick={() => endPlan('close')}>{t('closePlan')}</Button>}
            {amendable && (
              <Button danger onClick={() => endPlan('cancel')}>
                {t('cancelPlan')}
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
      {amendments.length > 0 && (
        <Card size="small" style={{ marginBottom: 12 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('amendments')}</h2>} role="status" aria-live="polite">
          <List
            size="small"
            dataSource={amendments}
            renderItem={(a) => (
              <List.Item>
                <div>
                  <Typography.Text type="secondary">{formatDate(a.createdAt)} · </Typography.Text>
                  {a.reason}
                  <div>
                    <AmendmentLine a={a} />
                  </div>
                </div>
              </List.Item>
            )}
          />
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
                    <Tag color={w.resolved ? 'green' : 'orange'} title={w.code}>
                      {w.resolved ? t('resolved') : isMessageKey(`warningCode_${w.code}`) ? t(`warningCode_${w.code}` as MessageKey) : w.code}
                    </Tag>
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
      {editable && (
        <>
          <DutyModal key={dutyEdit?.duty?.key ?? 'new'} open={!!dutyEdit} duty={dutyEdit?.duty ?? null} units={unitOptions} send={sendOp} onClose={() => setDutyEdit(null)} />
          <SplitModal key={`split-${splitting?.key ?? ''}`} duty={splitting} send={sendOp} onClose={() => setSplitting(null)} />
          <MergeModal keys={merging} send={sendOp} onClose={() => setMerging(null)} />
        </>
      )}
      <Modal open={!!editing} title={editing ? `${t(amendable ? 'amend' : 'edit')} ${editing.key}` : ''} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText={t('save')} cancelText={t('cancel')} forceRender>
        <Form
          key={editing?.key ?? 'none'}
          form={form}
          layout="vertical"
          onFinish={(v) => void saveEdit(v)}
          // Keyed by the item: each opening mounts a fresh form with that item's values. The modal itself stays
          // mounted, so the date picker's popup never outlives the element it belongs to.
          initialValues={editing ? { code: editing.unitRef.code ?? undefined, date: editing.deadline?.date ? dayjs(editing.deadline.date) : null, reason: '' } : undefined}
        >
          <Form.Item name="code" label={t('unit')}>
            <Select
              showSearch
              optionFilterProp="label"
              options={(units ?? []).map((u) => ({ value: u.code, label: `${u.code} · ${u.name}` }))}
            />
          </Form.Item>
          <Form.Item name="date" label={t('deadline')}>
            <DatePicker format="DD/MM/YYYY" />
          </Form.Item>
          {amendable && (
            <Form.Item name="reason" label={t('amendReason')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
