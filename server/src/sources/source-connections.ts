/**
 * Every source of the portfolio as one part of the runtime (start/drain/stop): a SourceLink per
 * source, on the server's own broker (embedded aedes or MQTT_URL) or on the source's `url`.
 * Credentials of a source's own broker come from the environment (`password_env`), never the portfolio.
 */
import { ConfigError } from '../config/config-error.js';
import type { SourceConfig } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import type { ClassifyOptions } from '../ingest/classify.js';
import { redact } from '../ingest/mqtt-ingest.js';
import { SourceLink, type SourceLinkDeps } from './source-link.js';
import { SourceRouter } from './source-router.js';
import { filtersOverlap, subscriptionFilter } from './topic-filter.js';

export interface OwnBroker {
  url: string;
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  /** In a cluster: sources on the own broker are shared subscriptions of this group, as the ingest is. */
  shareGroup?: string | undefined;
}

export interface SourceStatus {
  state: 'ok' | 'down';
  format: string;
  topic: string;
  /** `server` for the server's own broker, else the source's URL without its password. */
  broker: string;
}

interface Planned {
  source: SourceConfig;
  router: SourceRouter;
  filter: string;
  /** Undefined: the server's own identity on its own broker. */
  credentials: { username: string | undefined; password: string | undefined } | undefined;
}

export class SourceConnections {
  private readonly planned: Planned[] = [];
  private links: SourceLink[] = [];

  /** Checks the sources against the settings (a ConfigError stops start-up before anything runs). */
  constructor(
    registry: Registry,
    options: Pick<ClassifyOptions, 'topicRoot' | 'maxAgeMs' | 'maxFutureMs'>,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const timeZone = registry.portfolio.timezone;
    for (const source of registry.portfolio.sources ?? []) {
      const router = new SourceRouter(source, registry, { ...options, timeZone });
      const filter = subscriptionFilter(router.topic);
      if (source.url === undefined && filtersOverlap(filter, `${options.topicRoot}/#`))
        throw new ConfigError(
          'PORTFOLIO',
          `sources: source "${source.id}" subscribes to ${router.topic}, which reaches the contract's own topics under ${options.topicRoot}/; give it a filter outside them`,
        );
      this.planned.push({ source, router, filter, credentials: credentials(source, env) });
    }
  }

  get size(): number {
    return this.planned.length;
  }

  /**
   * Starts every subscription; waits at most `waitMs` for them (a remote broker may be unreachable
   * for now: it keeps retrying). Returns the ids of the sources not subscribed yet.
   */
  async start(own: OwnBroker, deps: SourceLinkDeps, waitMs = 5_000): Promise<string[]> {
    this.links = this.planned.map(({ source, router, filter, credentials }) => {
      const shared = source.url === undefined && own.shareGroup !== undefined;
      return new SourceLink(
        router,
        {
          url: source.url ?? own.url,
          clientId: `${own.clientId}-source-${source.id}`,
          ...(credentials ?? { username: own.username, password: own.password }),
          subscription: shared ? `$share/${own.shareGroup}/${filter}` : filter,
        },
        deps,
      );
    });
    const subscribed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs).unref()));
    const all = Promise.all(this.links.map((link) => link.start().then(() => subscribed.add(link.id))));
    await Promise.race([all, timeout]);
    clearTimeout(timer);
    return this.links.map((link) => link.id).filter((id) => !subscribed.has(id));
  }

  /** Stops taking messages; what is in hand still reaches the writer, the rest the broker re-delivers. */
  async drain(): Promise<void> {
    await Promise.all(this.links.map((link) => link.drain()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.links.map((link) => link.stop()));
  }

  status(): Record<string, SourceStatus> {
    const out: Record<string, SourceStatus> = {};
    this.planned.forEach(({ source, router }, i) => {
      out[source.id] = {
        state: this.links[i]?.up ? 'ok' : 'down',
        format: source.format,
        topic: router.topic,
        broker: source.url === undefined ? 'server' : redact(source.url),
      };
    });
    return out;
  }
}

/** The source's own user and the password from password_env; undefined: the server's identity on its own broker. */
function credentials(source: SourceConfig, env: NodeJS.ProcessEnv): Planned['credentials'] {
  if (source.url === undefined && source.username === undefined) return undefined;
  if (source.password_env === undefined) return { username: source.username, password: undefined };
  const password = env[source.password_env];
  if (!password)
    throw new ConfigError(
      source.password_env,
      `expected the password of source "${source.id}" (its password_env); the variable is not set`,
    );
  return { username: source.username, password };
}
