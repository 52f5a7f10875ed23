import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client';
import { useAuth } from '../auth';
import { useDocumentTitle } from '../hooks';
import { type MessageKey, useI18n } from '../i18n';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** The server's field codes for a refused change, in the user's words. */
const FIELD_MESSAGES: Record<string, MessageKey> = { WRONG_PASSWORD: 'wrongCurrentPassword', SAME_AS_CURRENT: 'sameAsCurrentPassword' };

/** The signed-in user's own account: for now, changing their password (every user may, whatever their role). */
export function AccountPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [form] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(t('accountTitle'));

  const submit = async (values: PasswordForm) => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api.changePassword(values.currentPassword, values.newPassword);
      form.resetFields();
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
        form.setFields(
          Object.entries(err.fields).map(([name, codes]) => ({
            name: name as keyof PasswordForm,
            errors: codes.map((c) => (FIELD_MESSAGES[c] ? t(FIELD_MESSAGES[c]) : c)),
          })),
        );
      } else {
        setError(err instanceof ApiError ? err.message : t('err_network'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 480 }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('accountTitle')}
      </Typography.Title>
      <Typography.Paragraph>
        {user?.displayName} ({user?.username})
      </Typography.Paragraph>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('changePassword')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('passwordRules')}</Typography.Paragraph>
      {done && <Alert type="success" role="status" showIcon message={t('passwordChanged')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" role="alert" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<PasswordForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
        {/* A hidden username lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={user?.username ?? ''} readOnly hidden />
        <Form.Item name="currentPassword" label={t('currentPassword')} rules={[{ required: true, message: t('required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('newPassword')}
          rules={[
            { required: true, message: t('required') },
            { min: 10, message: t('passwordTooShort') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('confirmNewPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('passwordMismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
