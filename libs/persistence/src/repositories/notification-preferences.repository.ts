import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const NOTIFICATION_MODES = ['immediate', 'daily_digest'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

export interface NotificationPreferences {
  unitCode: string;
  mode: NotificationMode;
  /** Local (Asia/Ho_Chi_Minh) hour, 0–23, at which the digest goes out. */
  digestHour: number;
  /** For the leader's unit: one daily summary instead of a mail per leadership escalation. */
  leaderSummary: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export type NotificationPreferencesChange = Pick<NotificationPreferences, 'unitCode' | 'mode' | 'digestHour' | 'leaderSummary'> & { updatedBy: string };

/** What a unit without a row gets: separate mails, as before digests existed. */
export const DEFAULT_DIGEST_HOUR = 7;
export const defaultPreferences = (unitCode: string): NotificationPreferences => ({
  unitCode,
  mode: 'immediate',
  digestHour: DEFAULT_DIGEST_HOUR,
  leaderSummary: false,
  updatedBy: null,
  updatedAt: null,
});

/** Port: how each unit wants to be told. */
export abstract class NotificationPreferencesRepository {
  /** The unit's preferences, or the defaults when it never chose. */
  abstract forUnit(unitCode: string): Promise<NotificationPreferences>;
  abstract save(change: NotificationPreferencesChange): Promise<NotificationPreferences>;
  /** Units that chose a digest or a leader summary at this local hour (all of them when hour is null). */
  abstract findDigestRecipientsAt(hour: number | null): Promise<NotificationPreferences[]>;
}

interface PreferencesRecord {
  unit_code: string;
  mode: NotificationMode;
  digest_hour: number;
  leader_summary: boolean;
  updated_by: string | null;
  updated_at: Date | null;
}

const toPreferences = (r: PreferencesRecord): NotificationPreferences => ({
  unitCode: r.unit_code,
  mode: r.mode,
  digestHour: r.digest_hour,
  leaderSummary: r.leader_summary,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

@Injectable()
export class TypeormNotificationPreferencesRepository extends NotificationPreferencesRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async forUnit(unitCode: string): Promise<NotificationPreferences> {
    const rows: PreferencesRecord[] = await this.ds.query(`SELECT * FROM notification_preferences WHERE unit_code = $1`, [unitCode]);
    return rows[0] ? toPreferences(rows[0]) : defaultPreferences(unitCode);
  }

  async save(c: NotificationPreferencesChange): Promise<NotificationPreferences> {
    const rows: PreferencesRecord[] = await this.ds.query(
      `INSERT INTO notification_preferences (unit_code, mode, digest_hour, leader_summary, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (unit_code) DO UPDATE SET mode = EXCLUDED.mode, digest_hour = EXCLUDED.digest_hour,
         leader_summary = EXCLUDED.leader_summary, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING *`,
      [c.unitCode, c.mode, c.digestHour, c.leaderSummary, c.updatedBy],
    );
    return toPreferences(rows[0]!);
  }

  async findDigestRecipientsAt(hour: number | null): Promise<NotificationPreferences[]> {
    const rows: PreferencesRecord[] = await this.ds.query(
      `SELECT * FROM notification_preferences
       WHERE (mode = 'daily_digest' OR leader_summary) AND ($1::int IS NULL OR digest_hour = $1)
       ORDER BY unit_code`,
      [hour],
    );
    return rows.map(toPreferences);
  }
}
