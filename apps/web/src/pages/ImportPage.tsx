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
        <Typography.Paragraph type="secondary">{t('importOcrHint')}</Typography.Paragraph>
        <ErrorAlert error={error} />
        <div style={{ marginBottom: 12 }}>
          <Upload
            accept=".pdf,.docx,.jpg,.jpeg,.png,.md,.txt"
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
            {/* The upload is quick; extraction (OCR of a scan) is what the user waits for after 100%. */}
            <Typography.Text>{percent < 100 ? t('importing') : t('importRecognising')}</Typography.Text>
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
