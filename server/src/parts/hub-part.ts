/** The WebSocket hub: snapshots and coalesced delta frames of the live state and the alerts. */
import type { Settings } from '../config/settings.js';
import { LiveHub } from '../live/live-hub.js';
import type { AlertsPart } from './alerts-part.js';
import type { LiveStatePart } from './live-state-part.js';
import { startedValue, type Log, type Part } from './part.js';

export class HubPart implements Part {
  readonly name = 'live hub';
  private created: LiveHub | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly live: LiveStatePart,
    private readonly alerts: AlertsPart,
    private readonly log: Log,
  ) {}

  get hub(): LiveHub {
    return startedValue(this.created, this.name);
  }

  start(): void {
    const hub = new LiveHub(this.live.engine, { flushMs: this.settings.liveFrameMs }, (m) =>
      this.log.warn(m),
    );
    this.created = hub;
    hub.addSource(this.alerts.service);
    hub.start();
  }

  stop(): void {
    this.created?.stop();
  }
}
