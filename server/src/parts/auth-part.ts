/** Sign-in: users and sessions. First in the list: without ADMIN_PASSWORD (outside the demo) nothing else starts. */
import { AuthService } from '../auth/auth-service.js';
import type { Settings } from '../config/settings.js';
import { startedValue, type Log, type Part } from './part.js';

export class AuthPart implements Part {
  readonly name = 'auth';
  private opened: AuthService | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly log: Log,
  ) {}

  get service(): AuthService {
    return startedValue(this.opened, this.name);
  }

  async start(): Promise<void> {
    this.opened = await AuthService.open(this.settings.auth, this.settings.dataDir);
    for (const warning of this.opened.warnings()) this.log.warn(warning);
    if (this.opened.keys.source === 'file')
      this.log.info(
        'auth: sessions are signed with a secret kept in DATA_DIR/session-secret (set SESSION_SECRET to share it)',
      );
  }

  stop(): void {
    this.opened?.close();
  }
}
