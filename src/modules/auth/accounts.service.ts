import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACCOUNT_NAME } from '../../common/account-name';
import { forbidden } from '../../common/errors/domain-error';
import type { Viewer } from '../../common/viewer';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { NotificationsService } from '../notifications/notifications.service';
import { UsersService } from '../users/users.service';
import { AuditService } from './audit.service';

/** Who the provider says logged in (ID token subject, userinfo username and groups). */
export interface AccountIdentity {
  subject: string;
  username: string;
  groups: string[];
}

/**
 * What a login does to the database: the person (created on first sight, as Tahrir did,
 * with `<username>@ACCOLADES_EMAIL_DOMAIN`), their account row (subject, admin role from
 * the groups), last_login, the first-login notification and the audit of role changes,
 * all in one transaction.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger('Login');
  private readonly adminGroups: Set<string>;

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @Inject(ENV) env: Env,
  ) {
    this.adminGroups = new Set(
      env.ACCOLADES_ADMIN_GROUPS.split(',')
        .map((g) => g.trim())
        .filter(Boolean),
    );
  }

  isAdmin(groups: string[]): boolean {
    return groups.some((g) => this.adminGroups.has(g));
  }

  async login(id: AccountIdentity): Promise<{ viewer: Viewer; firstLogin: boolean }> {
    if (!ACCOUNT_NAME.test(id.username)) {
      throw forbidden('AUTH.BAD_USERNAME', 'The account name given by the provider is not valid.');
    }
    const isAdmin = this.isAdmin(id.groups);
    return this.ds.transaction(async (m) => {
      const { person } = await this.users.ensure(id.username, m);
      const rows: { person_id: number; subject: string; is_admin: boolean }[] = await m.query(
        `SELECT person_id, subject, is_admin FROM auth_accounts
          WHERE person_id = $1 OR subject = $2 FOR UPDATE`,
        [person.id, id.subject],
      );
      // One account per person and one person per account: a recycled account name (or a
      // provider that changed subjects) must not inherit someone else's badges silently.
      if (rows.some((r) => r.person_id !== person.id || r.subject !== id.subject)) {
        this.logger.warn(
          { username: id.username, subject: id.subject },
          'login refused: account and person do not match',
        );
        throw forbidden(
          'AUTH.ACCOUNT_MISMATCH',
          'This account does not match the person of that name here. Ask an admin.',
        );
      }
      const account = rows[0];
      // Locked so two simultaneous first logins send one notification.
      const [{ first }]: { first: boolean }[] = await m.query(
        `SELECT last_login IS NULL AS first FROM persons WHERE id = $1 FOR UPDATE`,
        [person.id],
      );
      await m.query(`UPDATE persons SET last_login = now() WHERE id = $1`, [person.id]);
      await m.query(
        `INSERT INTO auth_accounts (person_id, subject, is_admin) VALUES ($1, $2, $3)
         ON CONFLICT (person_id) DO UPDATE SET is_admin = EXCLUDED.is_admin, last_login = now()`,
        [person.id, id.subject, isAdmin],
      );
      const wasAdmin = account?.is_admin ?? false;
      if (wasAdmin !== isAdmin) {
        await this.audit.record(
          {
            actor: null,
            action: 'role.change',
            subject: id.username,
            details: { admin: isAdmin, groups: id.groups.filter((g) => this.adminGroups.has(g)) },
          },
          m,
        );
      }
      if (first) await this.notifications.firstLogin(m, person);
      return {
        viewer: { personId: person.id, nickname: id.username, isAdmin },
        firstLogin: first,
      };
    });
  }
}
