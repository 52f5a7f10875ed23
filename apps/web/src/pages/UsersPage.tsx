import { Input, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { AuthUser } from '../api/types';
import { ErrorAlert, PageTitle } from '../components/common';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

type UserRow = AuthUser & { email: string | null; disabled: boolean };

export function UsersPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const users = useLoad(() => api.users({ page, pageSize: 20, q: q || undefined }), [page, q]);
  return (
    <>
      <PageTitle>{t('usersTitle')}</PageTitle>
      <ErrorAlert error={users.error} onRetry={users.reload} />
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
        ]}
      />
    </>
  );
}
