// The coordinator's tools on a draft's duties: add or edit one, split one, merge several. Each modal builds
// one op, lets the page send it, and stays open with the server's refusal shown inside it.
import { Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { ApiError } from '../../api/client';
import type { DutyOp, RecurrenceKind, Responsibility } from '../../api/types';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../common';
import { type DutyFormValues, dutyOp, initialValues, normaliseRecurrence } from './duty-changes';

export interface UnitOption {
  code: string;
  name: string;
  group?: boolean;
}

/** Sends one op; resolves to the refusal, or null once the page holds the server's new revision. */
export type SendOp = (op: DutyOp) => Promise<ApiError | null>;

const KINDS: RecurrenceKind[] = ['once', 'monthly', 'quarterly', 'semiannual', 'annual'];

function useUnitOptions(units: UnitOption[]) {
  const { t } = useI18n();
  return units.map((u) => ({
    value: u.code,
    label: `${u.code} · ${u.name}${u.group ? ` (${t('groupTag')})` : ''}`,
  }));
}

function RecurrenceSelect({
  value,
  onChange,
  label,
}: {
  value?: RecurrenceKind[];
  onChange?: (v: RecurrenceKind[]) => void;
  label: string;
}) {
  const { t } = useI18n();
  return (
    <Select
      mode="multiple"
      aria-label={label}
      value={value}
      onChange={(next: RecurrenceKind[]) => onChange?.(normaliseRecurrence(next, value ?? []))}
      options={KINDS.map((k) => ({ value: k, label: t(`rec_${k}`) }))}
    />
  );
}

/** Add a duty (duty = null) or edit one: text, unit, role, partners, deadline and recurrence. */
export function DutyModal({
  duty,
  open,
  units,
  send,
  onClose,
}: {
  duty: Responsibility | null;
  open: boolean;
  units: UnitOption[];
  send: SendOp;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<DutyFormValues>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const options = useUnitOptions(units);
  const close = () => {
    setError(null);
    onClose();
  };
  const submit = async (values: DutyFormValues) => {
    const op = dutyOp(duty, values);
    if (!op) return close();
    setBusy(true);
    const refused = await send(op);
    setBusy(false);
    if (refused) setError(refused);
    else close();
  };
  const title = duty ? `${t('edit')} ${duty.key}` : t('addDuty');
  return (
    <Modal
      open={open}
      title={title}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      width={640}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      {/* Named, so its field ids (duty_date …) cannot collide with the page's other forms. */}
      <Form
        name="duty"
        form={form}
        layout="vertical"
        initialValues={initialValues(duty)}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="text"
          label={t('dutyText')}
          rules={[{ required: true, whitespace: true, message: t('required') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item
            name="unit"
            label={t('responsibleUnit')}
            rules={[{ required: true, message: t('required') }]}
            style={{ minWidth: 300 }}
          >
            <Select showSearch optionFilterProp="label" options={options} />
          </Form.Item>
          <Form.Item name="role" label={t('role')}>
            <Radio.Group
              options={[
                { value: 'lead', label: t('lead') },
                { value: 'coordinate', label: t('coordinate') },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item noStyle dependencies={['role']}>
          {({ getFieldValue }) =>
            getFieldValue('role') === 'coordinate' ? (
              <Form.Item name="leadUnits" label={t('leadUnits')}>
                <Select mode="multiple" showSearch optionFilterProp="label" options={options} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
        <Form.Item name="coordinatingUnits" label={t('coordinatingUnits')}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={options} />
        </Form.Item>
        <Form.Item name="deadlineMode" label={t('deadline')}>
          <Radio.Group
            options={[
              { value: 'date', label: t('deadlineDate') },
              { value: 'workingDays', label: t('deadlineWorkingDays') },
              { value: 'none', label: t('deadlineNone') },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['deadlineMode']}>
          {({ getFieldValue }) =>
            getFieldValue('deadlineMode') === 'date' ? (
              <Form.Item
                name="date"
                label={t('deadlineDate')}
                rules={[{ required: true, message: t('required') }]}
              >
                <DatePicker format="DD/MM/YYYY" />
              </Form.Item>
            ) : getFieldValue('deadlineMode') === 'workingDays' ? (
              <Form.Item
                name="workingDays"
                label={t('deadlineWorkingDays')}
                rules={[{ required: true, message: t('required') }]}
              >
                <InputNumber min={1} max={250} precision={0} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
        <Form.Item
          name="recurrence"
          label={t('recurrence')}
          rules={[{ required: true, type: 'array', min: 1, message: t('required') }]}
        >
          <RecurrenceSelect label={t('recurrence')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Split a duty's text into parts; every part keeps the duty's unit, deadline and recurrence. */
export function SplitModal({
  duty,
  send,
  onClose,
}: {
  duty: Responsibility | null;
  send: SendOp;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ parts: Array<{ text: string }> }>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setError(null);
    onClose();
  };
  const submit = async (values: { parts: Array<{ text: string }> }) => {
    if (!duty) return;
    setBusy(true);
    const refused = await send({
      op: 'split',
      key: duty.key,
      parts: values.parts.map((p) => ({ text: p.text.trim() })),
    });
    setBusy(false);
    if (refused) setError(refused);
    else close();
  };
  return (
    <Modal
      open={!!duty}
      title={duty ? t('splitTitle', { key: duty.key }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('splitDuty')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('splitHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form
        name="split"
        form={form}
        layout="vertical"
        initialValues={{ parts: [{ text: duty?.text ?? '' }, { text: '' }] }}
        onFinish={(v) => void submit(v)}
      >
        <Form.List name="parts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, n) => (
                <Form.Item key={field.key} label={t('splitPart', { n: n + 1 })} required>
                  <Space.Compact style={{ width: '100%' }}>
                    <Form.Item
                      name={[field.name, 'text']}
                      noStyle
                      rules={[{ required: true, whitespace: true, message: t('required') }]}
                    >
                      <Input.TextArea rows={2} aria-label={t('splitPart', { n: n + 1 })} />
                    </Form.Item>
                    {fields.length > 2 && (
                      <Button onClick={() => remove(field.name)} aria-label={t('removePart')}>
                        ×
                      </Button>
                    )}
                  </Space.Compact>
                </Form.Item>
              ))}
              <Button onClick={() => add({ text: '' })}>{t('addPart')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** Merge the selected duties of one unit into the first of them. */
export function MergeModal({
  keys,
  send,
  onClose,
}: {
  keys: string[] | null;
  send: SendOp;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text?: string; recurrence?: RecurrenceKind[] }>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setError(null);
    onClose();
  };
  const submit = async (values: { text?: string; recurrence?: RecurrenceKind[] }) => {
    if (!keys) return;
    setBusy(true);
    const text = values.text?.trim();
    const refused = await send({
      op: 'merge',
      keys,
      ...(text ? { text } : {}),
      ...(values.recurrence?.length ? { recurrence: values.recurrence } : {}),
    });
    setBusy(false);
    if (refused) setError(refused);
    else close();
  };
  return (
    <Modal
      open={!!keys}
      title={keys ? t('mergeTitle', { n: keys.length, keys: keys.join(', ') }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('mergeDuties')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('mergeHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form name="merge" form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="text" label={t('dutyText')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="recurrence" label={t('mergeRecurrence')}>
          <RecurrenceSelect label={t('mergeRecurrence')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
