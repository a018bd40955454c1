/**
 * Users: the first admin from the environment (ADMIN_USERNAME / ADMIN_PASSWORD, never written to
 * disk), the others in DATA_DIR/users.json with scrypt hashes, managed by an admin through the API.
 */
import { ConfigError } from '../config/config-error.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { hashPassword, parseHash, verifyPassword } from './passwords.js';
import { isRole, type Role } from './roles.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface UserRecord {
  username: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash`. */
  password: string;
  created_at: number;
}

export interface UserInfo {
  username: string;
  role: Role;
  created_at: number | null;
  /** `env`: the admin from ADMIN_USERNAME / ADMIN_PASSWORD, which the API cannot delete. */
  source: 'env' | 'file';
}

export class UserError extends Error {
  constructor(
    readonly code: 'exists' | 'not_found' | 'reserved',
    message: string,
  ) {
    super(message);
  }
}

export class UserStore {
  private readonly users = new Map<string, UserRecord>();

  private constructor(
    private readonly path: string | undefined,
    private readonly admin: UserRecord,
  ) {}

  /** `path` undefined: users live in memory only (tests). */
  static async open(
    path: string | undefined,
    adminUsername: string,
    adminPassword: string,
  ): Promise<UserStore> {
    const admin: UserRecord = {
      username: adminUsername,
      role: 'admin',
      password: await hashPassword(adminPassword),
      created_at: 0,
    };
    const store = new UserStore(path, admin);
    if (path) store.load(path);
    return store;
  }

  private load(path: string): void {
    const data = readJsonFile(path);
    if (data === undefined) return;
    const list = (data as { users?: unknown }).users;
    if (!Array.isArray(list)) throw new ConfigError(`${path}:/users`, 'expected a list of users');
    list.forEach((raw: unknown, i) => {
      const user = raw as Partial<UserRecord>;
      const where = `${path}:/users/${i}`;
      if (typeof user.username !== 'string' || !USERNAME_PATTERN.test(user.username))
        throw new ConfigError(`${where}/username`, `expected a name matching ${USERNAME_PATTERN.source}`);
      if (!isRole(user.role))
        throw new ConfigError(`${where}/role`, 'expected viewer, analyst, operator or admin');
      if (typeof user.password !== 'string' || !parseHash(user.password))
        throw new ConfigError(`${where}/password`, 'expected an scrypt hash written by the server');
      if (user.username === this.admin.username || this.users.has(user.username))
        throw new ConfigError(`${where}/username`, `expected a unique name, "${user.username}" repeats`);
      this.users.set(user.username, {
        username: user.username,
        role: user.role,
        password: user.password,
        created_at: typeof user.created_at === 'number' ? user.created_at : 0,
      });
    });
  }

  private save(): void {
    if (this.path) writeJsonFile(this.path, { version: 1, users: [...this.users.values()] });
  }

  get adminUsername(): string {
    return this.admin.username;
  }

  find(username: string): UserRecord | undefined {
    return username === this.admin.username ? this.admin : this.users.get(username);
  }

  list(): UserInfo[] {
    const info = (u: UserRecord, source: 'env' | 'file'): UserInfo => ({
      username: u.username,
      role: u.role,
      created_at: source === 'env' ? null : u.created_at,
      source,
    });
    return [info(this.admin, 'env'), ...[...this.users.values()].map((u) => info(u, 'file'))];
  }

  /**
   * The user when the password is right. An unknown name costs the same scrypt run (against the
   * admin's hash, whose outcome is then ignored), so timing does not tell which names exist.
   */
  async verify(username: string, password: string): Promise<UserRecord | undefined> {
    const user = this.find(username);
    const ok = await verifyPassword(password, (user ?? this.admin).password);
    return ok ? user : undefined;
  }

  async create(username: string, password: string, role: Role, now = Date.now()): Promise<UserInfo> {
    const taken = () => {
      if (this.find(username)) throw new UserError('exists', `user ${username} already exists`);
    };
    taken();
    const hash = await hashPassword(password);
    // Another request may have created the same name while this one was hashing.
    taken();
    const user: UserRecord = { username, role, password: hash, created_at: now };
    this.users.set(username, user);
    this.save();
    return { username, role, created_at: now, source: 'file' };
  }

  delete(username: string): void {
    if (username === this.admin.username)
      throw new UserError(
        'reserved',
        `${username} is the admin from ADMIN_USERNAME; change the environment instead`,
      );
    if (!this.users.delete(username)) throw new UserError('not_found', `unknown user ${username}`);
    this.save();
  }
}
