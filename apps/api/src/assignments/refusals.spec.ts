import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REFUSAL_ANSWER, WorkflowRefusal } from '@app/contracts';
import { ApiError, ApiErrorCode } from '../common/errors';
import { translateWorkflowError } from './assignments.service';

/** Every failure type the workflow code can throw, read from its source. */
function refusalsInWorkflowCode(dir = join(__dirname, '../../../../workflows')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return refusalsInWorkflowCode(path);
    if (!e.name.endsWith('.ts') || e.name.endsWith('.spec.ts')) return [];
    return [...readFileSync(path, 'utf8').matchAll(/ApplicationFailure\.nonRetryable\([^;]*?,\s*'([A-Z_]+)'\)/g)].map((m) => m[1]!);
  });
}

describe('workflow refusals at the API edge', () => {
  it('lists exactly the failure types the workflow code throws', () => {
    expect([...new Set(refusalsInWorkflowCode())].sort()).toEqual(Object.values(WorkflowRefusal).sort());
  });

  it('answers each refusal with its code and a message in both languages, whatever the workflow wrote', () => {
    const failure = ApplicationFailure.nonRetryable('Trả lại báo cáo phải kèm ý kiến', 'COMMENT_REQUIRED');
    const err = translateWorkflowError(new WorkflowUpdateFailedError('update failed', failure)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(ApiErrorCode.VALIDATION_FAILED);
    expect(err.localised).toEqual({ code: ApiErrorCode.VALIDATION_FAILED, vi: REFUSAL_ANSWER.COMMENT_REQUIRED.vi, en: 'Returning a report needs a comment' });
    expect(err.fields).toEqual({ COMMENT_REQUIRED: [REFUSAL_ANSWER.COMMENT_REQUIRED.vi] });
  });

  it('treats work moved to another unit as not found, and a wrong state as an invalid transition', () => {
    const moved = translateWorkflowError(new WorkflowUpdateFailedError('x', ApplicationFailure.nonRetryable('…', 'NOT_ASSIGNEE'))) as ApiError;
    expect([moved.code, moved.fields]).toEqual([ApiErrorCode.NOT_FOUND, undefined]);
    const state = translateWorkflowError(new WorkflowUpdateFailedError('x', ApplicationFailure.nonRetryable('…', 'INVALID_TRANSITION'))) as ApiError;
    expect(state.code).toBe(ApiErrorCode.INVALID_TRANSITION);
    expect((translateWorkflowError(new WorkflowNotFoundError('gone', 'wf', undefined)) as ApiError).code).toBe(ApiErrorCode.NOT_FOUND);
  });

  it('passes other errors through unchanged (a 500 with an error id, not a disguised refusal)', () => {
    const other = ApplicationFailure.nonRetryable('boom', 'SOMETHING_ELSE');
    expect(translateWorkflowError(other)).toBe(other);
  });
});
