import { Injectable } from '@nestjs/common';
import { type Request } from 'express';
import { LoginThrottle, type Page, OrganisationRepository, SessionRepository, type UserEntity, type UserListQuery, type UserLocale, UserRepository, type UserRole } from '@app/persistence';
import { AuditService } from '../auth/audit.service';
import { hashPassword } from '../auth/passwords';
import { ApiError, ApiErrorCode } from '../common/errors';

/** What the admin screens see of an account: never the hash. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: UserRole;
  unitCode: string | null;
  locale: UserLocale;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toUserView(u: UserEntity): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    email: u.email,
    role: u.role,
    unitCode: u.unitCode,
    locale: u.locale,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

export interface CreateUserCommand {
  username: string;
  displayName: string;
  email: string | null;
  password: string;
  role: UserRole;
  unitCode: string | null;
  locale: UserLocale;
}

export type UpdateUserCommand = Partial<{ displayName: string; email: string | null; role: UserRole; unitCode: string | null; locale: UserLocale; disabled: boolean }>;

const UNIT_ROLES: readonly UserRole[] = ['unit_head', 'unit_officer'];

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly organisation: OrganisationRepository,
  ) {}

  async list(query: UserListQuery): Promise<Page<UserView>> {
    const page = await this.users.list(query);
    return { ...page, items: page.items.map(toUserView) };
  }

  async create(req: Request, cmd: CreateUserCommand): Promise<UserView> {
    const unitCode = await this.checkRoleAndUnit(cmd.role, cmd.unitCode);
    const created = await this.users.create({
      username: cmd.username,
      displayName: cmd.displayName,
      email: cmd.email,
      passwordHash: await hashPassword(cmd.password),
      role: cmd.role,
      unitCode,
      locale: cmd.locale,
    });
    if (!created) throw new ApiError(ApiErrorCode.CONFLICT, undefined, { username: ['Tên đăng nhập đã tồn tại'] });
    await this.audit.record(req, 'user.create', { type: 'user', id: created.id }, { username: created.username, role: created.role, unitCode: created.unitCode });
    return toUserView(created);
  }

  async update(req: Request, id: string, cmd: UpdateUserCommand): Promise<UserView> {
    const current = await this.users.findById(id);
    if (!current) throw new ApiError(ApiErrorCode.NOT_FOUND);
    // An admin who demotes or disables themself could leave nobody able to manage accounts.
    if (req.user?.id === id && ((cmd.role !== undefined && cmd.role !== 'admin') || cmd.disabled === true)) {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { role: ['Không thể tự hạ quyền hoặc khóa tài khoản của chính mình'] });
    }
    const role = cmd.role ?? current.role;
    const unitCode = await this.checkRoleAndUnit(role, cmd.unitCode !== undefined ? cmd.unitCode : current.unitCode);
    const patch = { ...cmd, role, unitCode };
    const updated = await this.users.update(id, patch);
    if (!updated) throw new ApiError(ApiErrorCode.NOT_FOUND);
    // A disabled account or one whose scope changed must not keep a browser that was signed in before.
    // An admin changing their own unit keeps the browser they are using (as a password change does).
    const keep = req.user?.id === id ? req.authSession?.id : undefined;
    if (cmd.disabled === true || role !== current.role || unitCode !== current.unitCode) await this.sessions.revokeAllForUser(id, keep);
    const changes = Object.fromEntries(
      (Object.keys(patch) as (keyof typeof patch)[])
        .filter((k) => patch[k] !== current[k])
        .map((k) => [k, { from: current[k], to: patch[k] }]),
    );
    await this.audit.record(req, 'user.update', { type: 'user', id }, { username: current.username, changes });
    return toUserView(updated);
  }

  async resetPassword(req: Request, id: string, password: string): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw new ApiError(ApiErrorCode.NOT_FOUND);
    await this.users.setPasswordHash(id, await hashPassword(password));
    // Every other browser of the account signs in again; an admin resetting their own keeps the one in use.
    const revoked = await this.sessions.revokeAllForUser(id, req.user?.id === id ? req.authSession?.id : undefined);
    // A new password starts with no sign-in delays anywhere.
    await this.throttle.clearUser(user.username);
    await this.audit.record(req, 'user.reset_password', { type: 'user', id }, { username: user.username, revokedSessions: revoked });
  }

  /** Lifts every sign-in delay of the account, at every client address (failures counted so far are forgotten). */
  async unlock(req: Request, id: string): Promise<{ cleared: number }> {
    const user = await this.users.findById(id);
    if (!user) throw new ApiError(ApiErrorCode.NOT_FOUND);
    const cleared = await this.throttle.clearUser(user.username);
    await this.audit.record(req, 'user.unlock', { type: 'user', id }, { username: user.username, clearedAddresses: cleared });
    return { cleared };
  }

  /** Admins belong to no unit; unit roles must name an existing unit. Returns the unit code to store. */
  private async checkRoleAndUnit(role: UserRole, unitCode: string | null): Promise<string | null> {
    if (role === 'admin') return null;
    if (UNIT_ROLES.includes(role) && !unitCode) {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { unitCode: ['Tài khoản đơn vị phải thuộc một đơn vị'] });
    }
    if (unitCode && !(await this.organisation.hasUnit(unitCode))) {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { unitCode: [`Không có đơn vị ${unitCode}`] });
    }
    return unitCode;
  }
}
