import { Button, Card, Progress, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd/es/upload/interface';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { ErrorAlert, PageTitle } from '../components/common';
import { useI18n } from '../i18n';

export function ImportPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [fileList, setFileList] = useState<UploadFile[]>([]);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const start = async () => {
    if (!file) return;
    setError(null);
    setPercent(0);
    try {
      const view = await api.importPlan(file, setPercent);
      navigate(`/plans/${view.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
      setPercent(null);
    }
  };

  return (
    <>
      <PageTitle>{t('importTitle')}</PageTitle>
      <Card style={{ maxWidth: 640 }}>
        <Typography.Paragraph>{t('importHint')}</Typography.Paragraph>
        <ErrorAlert error={error} />
        <div style={{ marginBottom: 12 }}>
          <Upload
            accept=".md,.txt,.docx"
            maxCount={1}
            fileList={fileList}
            beforeUpload={(f) => {
              setFile(f);
              setFileList([{ uid: f.uid, name: f.name, status: 'done', size: f.size }]);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setFileList([]);
            }}
          >
            <Button aria-label={t('importFile')}>{t('chooseFile')}</Button>
          </Upload>
        </div>
        {percent !== null && (
          <div role="status" aria-live="polite" style={{ marginBottom: 12 }}>
            <Typography.Text>{t('importing')}</Typography.Text>
            <Progress percent={percent} />
          </div>
        )}
        <Button type="primary" disabled={!file || percent !== null} onClick={() => void start()}>
          {t('importButton')}
        </Button>
      </Card>
    </>
  );
}
