/**
 * Users: the first admin from the environment (ADMIN_USERNAME / ADMIN_PASSWORD, never written to
 * disk), the others in DATA_DIR/users.json with scrypt hashes, managed by an admin through the API.
 *
 * In a cluster every instance holds every user: each change (a user created, or deleted, which
 * leaves a tombstone so that a peer's older copy cannot bring the user back) is handed to the
 * listeners (server/src/cluster/cluster-auth.ts sends it to the peers) and a peer's change is
 * applied when it is newer than ours (`updated_at`, last writer wins).
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
  /** When this version of the user was written (created, or replaced by a peer's). */
  updated_at: number;
}

/** A user as instances exchange it: the record, or a tombstone once deleted. */
export type UserChange = UserRecord | { username: string; deleted: true; updated_at: number };

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
  /** Deleted users and when (tombstones). */
  private readonly deleted = new Map<string, number>();
  private readonly listeners: ((change: UserChange) => void)[] = [];

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
      updated_at: 0,
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
      const created = typeof user.created_at === 'number' ? user.created_at : 0;
      this.users.set(user.username, {
        username: user.username,
        role: user.role,
        password: user.password,
        created_at: created,
        updated_at: typeof user.updated_at === 'number' ? user.updated_at : created,
      });
    });
    const deleted = (data as { deleted?: unknown }).deleted;
    for (const tombstone of Array.isArray(deleted) ? (deleted as Partial<UserChange>[]) : [])
      if (typeof tombstone?.username === 'string' && typeof tombstone.updated_at === 'number')
        this.deleted.set(tombstone.username, tombstone.updated_at);
  }

  private save(): void {
    if (!this.path) return;
    const deleted = [...this.deleted].map(([username, at]) => ({ username, updated_at: at }));
    writeJsonFile(this.path, { version: 2, users: [...this.users.values()], deleted });
  }

  /** Called with every change made here (not with a peer's applied through `apply`). */
  onChange(listener: (change: UserChange) => void): void {
    this.listeners.push(listener);
  }

  /** Every user and tombstone, as exchanged with peers. */
  changes(): UserChange[] {
    const tombstones = [...this.deleted].map(([username, at]) => ({
      username,
      deleted: true as const,
      updated_at: at,
    }));
    return [...this.users.values(), ...tombstones];
  }

  /** The version of a user held here (0: none), to compare with a peer's. */
  versionOf(username: string): number {
    return this.users.get(username)?.updated_at ?? this.deleted.get(username) ?? 0;
  }

  /** A peer's change: applied when newer than ours. Returns whether it changed anything. */
  apply(change: UserChange): boolean {
    if (change.username === this.admin.username) return false;
    if (change.updated_at <= this.versionOf(change.username)) return false;
    if ('deleted' in change) {
      this.users.delete(change.username);
      this.deleted.set(change.username, change.updated_at);
    } else {
      this.deleted.delete(change.username);
      this.users.set(change.username, { ...change });
    }
    this.save();
    return true;
  }

  private changed(change: UserChange): void {
    this.save();
    for (const listener of this.listeners) listener(change);
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
    // Strictly newer than any earlier version (a tombstone of the same name, a peer's clock ahead).
    const user: UserRecord = {
      username,
      role,
      password: hash,
      created_at: now,
      updated_at: Math.max(now, this.versionOf(username) + 1),
    };
    this.users.set(username, user);
    this.deleted.delete(username);
    this.changed(user);
    return { username, role, created_at: now, source: 'file' };
  }

  delete(username: string, now = Date.now()): void {
    if (username === this.admin.username)
      throw new UserError(
        'reserved',
        `${username} is the admin from ADMIN_USERNAME; change the environment instead`,
      );
    if (!this.users.has(username)) throw new UserError('not_found', `unknown user ${username}`);
    const updatedAt = Math.max(now, this.versionOf(username) + 1);
    this.users.delete(username);
    this.deleted.set(username, updatedAt);
    this.changed({ username, deleted: true, updated_at: updatedAt });
  }
}

/** A user change from a peer, checked like a line of users.json (it arrives decrypted, but is still input). */
export function isUserChange(value: unknown): value is UserChange {
  const c = value as Partial<UserRecord & { deleted: unknown }> | null;
  if (typeof c !== 'object' || c === null) return false;
  if (typeof c.username !== 'string' || !USERNAME_PATTERN.test(c.username)) return false;
  if (typeof c.updated_at !== 'number' || !Number.isFinite(c.updated_at)) return false;
  if (c.deleted === true) return true;
  return (
    isRole(c.role) &&
    typeof c.password === 'string' &&
    parseHash(c.password) !== undefined &&
    typeof c.created_at === 'number'
  );
}
