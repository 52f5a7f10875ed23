// The one way the UI talks to the API: cookies for the session, the CSRF header on writes,
// and every failure turned into an ApiError whose message is ready to show.
import { isMessageKey, type Lang, storedLang, translate } from '../i18n';
import type * as T from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
    readonly errorId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; fields?: unknown; errorId?: unknown };
}

let csrfToken: string | null = null;
/** Called when the server says the session is gone, so the app can show the sign-in page. */
let onUnauthenticated: (() => void) | null = null;

export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

function cookie(name: string): string | null {
  const found = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

function csrf(): string {
  return csrfToken ?? cookie('dondoc_csrf') ?? '';
}

function lang(): Lang {
  return storedLang();
}

type QueryValue = string | number | boolean | undefined | null;

function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function fieldsOf(value: unknown): Record<string, string[]> {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(value)) out[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  return out;
}

/** Builds the error from a response body; falls back to our own words when the body says nothing usable. */
export function errorFrom(status: number, bodyText: string): ApiError {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(bodyText) as ErrorBody;
  } catch {
    // not JSON (a proxy's page): use the status
  }
  const e = body.error ?? {};
  const code = typeof e.code === 'string' ? e.code : status === 404 ? 'NOT_FOUND' : `HTTP_${status}`;
  const ownKey = `err_${code}`;
  const fallback = isMessageKey(ownKey) ? translate(lang(), ownKey) : translate(lang(), 'err_unknown', { status });
  const message = typeof e.message === 'string' && e.message.trim() !== '' ? e.message : fallback;
  return new ApiError(status, code, message, fieldsOf(e.fields), typeof e.errorId === 'string' ? e.errorId : undefined);
}

async function request<R>(method: string, path: string, body?: unknown, query?: Record<string, QueryValue>): Promise<R> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': lang() };
  if (method !== 'GET') headers['x-csrf-token'] = csrf();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', translate(lang(), 'err_network'));
  }
  const text = await res.text();
  if (!res.ok) {
    const err = errorFrom(res.status, text);
    if (res.status === 401 && path !== '/api/auth/login' && path !== '/api/auth/me') onUnauthenticated?.();
    throw err;
  }
  return (text ? JSON.parse(text) : undefined) as R;
}

/** Multipart upload with progress (fetch cannot report upload progress, XMLHttpRequest can). */
export function upload<R>(path: string, file: File, onProgress?: (percent: number) => void, field = 'file'): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('x-csrf-token', csrf());
    xhr.setRequestHeader('accept-language', lang());
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', translate(lang(), 'err_network')));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as R);
      } else {
        reject(errorFrom(xhr.status, xhr.responseText));
      }
    };
    const form = new FormData();
    form.append(field, file, file.name);
    xhr.send(form);
  });
}

const enc = encodeURIComponent;

export const api = {
  async login(username: string, password: string): Promise<T.Session> {
    const session = await request<T.Session>('POST', '/api/auth/login', { username, password });
    csrfToken = session.csrfToken;
    return session;
  },
  /** Whether this browser holds a session's CSRF cookie: without one, asking /me would only log a 401. */
  hasSessionCookie: (): boolean => cookie('dondoc_csrf') !== null,
  async me(): Promise<T.Session> {
    const session = await request<T.Session>('GET', '/api/auth/me');
    csrfToken = session.csrfToken;
    return session;
  },
  async logout(): Promise<void> {
    await request<void>('POST', '/api/auth/logout');
    csrfToken = null;
  },
  /** Your own password; the server ends your other sessions. */
  changePassword: (currentPassword: string, newPassword: string): Promise<void> => request<void>('POST', '/api/auth/password', { currentPassword, newPassword }),

  inbox: (q: T.InboxQuery) => request<T.InboxResponse>('GET', '/api/inbox', undefined, { ...q }),
  assignment: (workflowId: string) => request<T.AssignmentDetail>('GET', `/api/assignments/${enc(workflowId)}`),
  act: (workflowId: string, action: T.AssignmentAction) => request<T.ActionResult>('POST', `/api/assignments/${enc(workflowId)}/actions`, action),
  uploadAttachment: (workflowId: string, file: File, onProgress: (p: number) => void) =>
    upload<T.Attachment>(`/api/assignments/${enc(workflowId)}/attachments`, file, onProgress),
  attachmentUrl: (id: string) => `/api/attachments/${enc(id)}`,

  reviewQueue: (q: { planId?: string; unitCode?: string; page?: number; pageSize?: number }) =>
    request<T.Paged<T.AssignmentListItem>>('GET', '/api/review-queue', undefined, q),
  extensionRequests: (q: { planId?: string; page?: number; pageSize?: number }) =>
    request<T.Paged<T.AssignmentListItem & { pendingExtension: T.ExtensionRequest | null }>>('GET', '/api/extension-requests', undefined, q),

  plans: (q: { status?: T.PlanStatus; page?: number; pageSize?: number; q?: string }) => request<T.Paged<T.PlanSummary>>('GET', '/api/plans', undefined, q),
  plan: (id: string) => request<T.PlanView>('GET', `/api/plans/${enc(id)}`),
  importPlan: (file: File, onProgress: (p: number) => void) => upload<T.PlanView>('/api/plans/import', file, onProgress),
  editPlan: (id: string, revision: number, changes: Array<T.PlanChange | T.DutyOp>) => request<T.PlanView>('PATCH', `/api/plans/${enc(id)}`, { revision, changes }),
  resolveWarning: (id: string, index: number, note: string, revision?: number) =>
    request<T.PlanView>('POST', `/api/plans/${enc(id)}/warnings/${index}/resolve`, { note, revision }),
  validatePlan: (id: string) => request<T.ValidationResult>('POST', `/api/plans/${enc(id)}/validate`, {}),
  activationPreview: (id: string) => request<T.ActivationPreview>('GET', `/api/plans/${enc(id)}/activation-preview`),
  activate: (id: string) => request<{ workflowId: string; expected: number }>('POST', `/api/plans/${enc(id)}/activate`, {}),
  activation: (id: string) => request<T.ActivationProgress>('GET', `/api/plans/${enc(id)}/activation`),
  amendmentPreview: (id: string, revision: number, changes: T.PlanChange[]) =>
    request<T.AmendmentPreview>('POST', `/api/plans/${enc(id)}/amendment-preview`, { revision, changes }),
  amend: (id: string, revision: number, changes: T.PlanChange[], reason: string) =>
    request<T.AmendmentView>('POST', `/api/plans/${enc(id)}/amendments`, { revision, changes, reason }),
  amendments: (id: string) => request<T.AmendmentView[]>('GET', `/api/plans/${enc(id)}/amendments`),
  amendment: (id: string, amendmentId: string) => request<T.AmendmentView>('GET', `/api/plans/${enc(id)}/amendments/${enc(amendmentId)}`),
  endPlan: (id: string, action: 'cancel' | 'close', reason: string) => request<{ workflowId: string }>('POST', `/api/plans/${enc(id)}/${action}`, { reason }),

  dashboard: {
    summary: (planId: string) => request<T.DashboardSummary>('GET', '/api/dashboard/summary', undefined, { planId }),
    byUnit: (planId: string) => request<T.UnitCompletion[]>('GET', '/api/dashboard/by-unit', undefined, { planId }),
    byResponsibility: (planId: string) => request<T.ItemCompletion[]>('GET', '/api/dashboard/by-responsibility', undefined, { planId }),
    matrix: (planId: string) => request<T.Matrix>('GET', '/api/dashboard/matrix', undefined, { planId }),
    overdue: (planId: string, page = 1, pageSize = 20) =>
      request<T.Paged<T.AssignmentListItem> | T.AssignmentListItem[]>('GET', '/api/dashboard/overdue', undefined, { planId, page, pageSize }),
    indicators: (planId: string) => request<T.IndicatorProgress[]>('GET', '/api/dashboard/indicators', undefined, { planId }),
    timeline: (planId: string) => request<T.TimelinePoint[]>('GET', '/api/dashboard/timeline', undefined, { planId }),
  },
  exportUrl: (planId: string, kind: 'xlsx' | 'csv' | 'docx', table = 'units') =>
    kind === 'xlsx' ? `/api/plans/${enc(planId)}/export.xlsx` : kind === 'csv' ? `/api/plans/${enc(planId)}/export.csv?table=${enc(table)}` : `/api/plans/${enc(planId)}/report.docx`,

  organisation: () => request<{ units: Array<{ code: string; name: string }>; groups?: Array<{ code: string; name: string }> }>('GET', '/api/organisation'),
  mail: (q: { page?: number; pageSize?: number }) => request<T.Paged<T.CaughtMail>>('GET', '/api/dev/mail', undefined, q),
  mailHtmlUrl: (id: string) => `/api/dev/mail/${enc(id)}.html`,
  /** Lifts an account's sign-in delays at every client address (admin); how many (name, address) pairs were waiting. */
  unlockUser: (id: string) => request<{ cleared: number }>('POST', `/api/users/${enc(id)}/unlock`),
  users: (q: { page?: number; pageSize?: number; q?: string }) =>
    request<T.Paged<T.AuthUser & { email: string | null; disabled: boolean }>>('GET', '/api/users', undefined, q),
};

/** Lists come paged from most endpoints; a few answer with a bare array. */
export function itemsOf<I>(value: I[] | { items: I[] }): I[] {
  return Array.isArray(value) ? value : value.items;
}
