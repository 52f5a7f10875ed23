import { ApiError, ApiErrorCode } from '../common/errors';
import { type AuthUser, type Role } from './auth.types';

const DISTRICT_WIDE: readonly Role[] = ['admin', 'coordinator', 'leader'];

/**
 * Which units' work a user may see. A unit user asking for another unit's record gets NOT_FOUND, not
 * FORBIDDEN, so record ids cannot be probed.
 */
export class UnitScope {
  private constructor(readonly unitCodes: readonly string[] | null) {}

  static of(user: AuthUser): UnitScope {
    if (DISTRICT_WIDE.includes(user.role)) return new UnitScope(null);
    return new UnitScope(user.unitCode ? [user.unitCode] : []);
  }

  /** True when the scope is the whole organisation. */
  get all(): boolean {
    return this.unitCodes === null;
  }

  allows(unitCode: string | null | undefined): boolean {
    return this.unitCodes === null || (unitCode != null && this.unitCodes.includes(unitCode));
  }

  /** Throws NOT_FOUND for a record outside the scope (or a missing one). */
  assertVisible(unitCode: string | null | undefined): void {
    if (!this.allows(unitCode)) throw new ApiError(ApiErrorCode.NOT_FOUND);
  }
}
