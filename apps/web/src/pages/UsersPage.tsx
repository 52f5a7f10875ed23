import { App as AntApp, Button, Input, Popconfirm, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client';
import type { AuthUser } from '../api/types';
import { ErrorAlert, PageTitle } from '../components/common';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

type UserRow = AuthUser & { email: string | null; disabled: boolean };

export function UsersPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const [unlockError, setUnlockError] = useState<ApiError | null>(null);
  const [q, setQ] = useState('');
  const users = useLoad(() => api.users({ page, pageSize: 20, q: q || undefined }), [page, q]);
  return (
    <>
      <PageTitle>{t('usersTitle')}</PageTitle>
      <ErrorAlert error={users.error} onRetry={users.reload} />
      <ErrorAlert error={unlockError} />
      <Input.Search
        aria-label={t('search')}
        placeholder={t('search')}
        allowClear
        style={{ maxWidth: 360, marginBottom: 12 }}
        onSearch={(v) => {
          setPage(1);
          setQ(v.trim());
        }}
      />
      <Table<UserRow>
        rowKey="id"
        loading={users.loading}
        dataSource={users.data?.items ?? []}
        scroll={{ x: 700 }}
        pagination={{ current: page, pageSize: 20, total: users.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('username'), dataIndex: 'username' },
          { title: t('displayName'), dataIndex: 'displayName' },
          { title: t('role'), key: 'r', render: (_, u) => t(`role_${u.role}`) },
          { title: t('unitCode'), key: 'u', render: (_, u) => u.unitCode ?? '—' },
          { title: t('email'), key: 'e', render: (_, u) => u.email ?? '—' },
          { title: t('colStatus'), key: 's', render: (_, u) => (u.disabled ? <Tag color="red">{t('disabled')}</Tag> : null) },
          {
            title: '',
            key: 'unlock',
            render: (_, u) => (
              <Popconfirm
                title={t('unlockConfirm', { username: u.username })}
                okText={t('confirm')}
                cancelText={t('cancel')}
                onConfirm={async () => {
                  setUnlockError(null);
                  try {
                    const { cleared } = await api.unlockUser(u.id);
                    void message.success(t('unlockDone', { username: u.username, count: cleared }));
                  } catch (err) {
                    setUnlockError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
                  }
                }}
              >
                <Button size="small">{t('unlockSignIn')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </>
  );
}
