import { z } from 'zod';
import { isoInstant, paged } from './common';

export const userRole = z.enum(['admin', 'coordinator', 'leader', 'unit_head', 'unit_officer']);
export type Role = z.infer<typeof userRole>;
export const userLocale = z.enum(['vi', 'en']);

export const sessionUser = z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: userRole, unitCode: z.string().nullable(), locale: userLocale }).meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof sessionUser>;
export const session = z.object({ user: sessionUser, csrfToken: z.string() }).meta({ id: 'Session' });
export type Session = z.infer<typeof session>;

/** At least 10 characters; at most 72 bytes, because bcrypt silently ignores anything longer. */
export const passwordPolicy = z
  .string()
  .min(10, 'Mật khẩu phải có ít nhất 10 ký tự')
  .refine((p) => new TextEncoder().encode(p).length <= 72, 'Mật khẩu dài tối đa 72 byte');

export const changePasswordBody = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: passwordPolicy });
export const resetPasswordBody = z.object({ password: passwordPolicy });

export const loginBody = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

export const unitCodeInput = z.string().regex(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/).max(64);
const paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};
export const userIdParams = z.object({ id: z.uuid() });

export const listUsersQuery = z.object({ ...paging, q: z.string().trim().min(1).max(100).optional(), role: userRole.optional(), unitCode: unitCodeInput.optional() });

export const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: userRole,
  unitCode: z.string().nullable(),
  locale: userLocale,
  disabled: z.boolean(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type UserView = z.infer<typeof userView>;
export const userList = paged(userView);

export const createUserBody = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'Chữ thường không dấu, số, dấu chấm, gạch nối; 2–64 ký tự'),
  displayName: z.string().trim().min(1).max(200),
  email: z.email().nullable().default(null),
  password: passwordPolicy,
  role: userRole,
  unitCode: unitCodeInput.nullable().default(null),
  locale: userLocale.default('vi'),
});

export const updateUserBody = z
  .object({ displayName: z.string().trim().min(1).max(200), email: z.email().nullable(), role: userRole, unitCode: unitCodeInput.nullable(), locale: userLocale, disabled: z.boolean() })
  .partial()
  .strict();

export const listAuditQuery = z.object({
  ...paging,
  userId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
});
export const auditEntry = z
  .object({ id: z.string(), at: isoInstant, userId: z.string().nullable(), username: z.string().nullable(), action: z.string(), targetType: z.string().nullable(), targetId: z.string().nullable(), detail: z.record(z.string(), z.unknown()), ip: z.string().nullable() })
  .loose();
export const auditList = paged(auditEntry);
export const unlockResult = z.object({ cleared: z.number().int() });
