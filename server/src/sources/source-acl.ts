/**
 * Who may publish the external formats on the server's own broker when devices must authenticate
 * (DEVICE_KEY): the choice is documented in docs/sources.md.
 *
 * - A source on the server's own broker has an identity of its own, `source.<id>` (the dot keeps it
 *   outside the device-id pattern), password = HMAC(DEVICE_KEY, "source.<id>") like a device's. It may
 *   publish only within the source's topic filter, and read nothing. That is the identity of a
 *   network server's MQTT integration (The Things Stack, ChirpStack) or a SenML gateway: they speak
 *   for many devices, so the payload names the device, and the source's own topic filter bounds it.
 * - A device that publishes by itself in a format whose topic names it (Tasmota, Shelly, json with
 *   `{device}`) may, as itself, also publish and read under its own external id: `+/<topic>/#` for
 *   Tasmota (tele/, stat/ and its last will tele/<topic>/LWT), `<prefix>/#` for Shelly, the filter
 *   with its id in place of `{device}` for json. It can never write another device's topics.
 * - The server's service identity reads each such source's filter besides the contract's topics.
 */
import type { BrokerSourceRules } from '../broker/broker-auth.js';
import type { DeviceConfig, Portfolio, SourceConfig } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import { sourceTopic } from './source-check.js';
import { DEVICE_PLACEHOLDER, placeholderLevel, subscriptionFilter } from './topic-filter.js';

export const SOURCE_USERNAME_PREFIX = 'source.';

export function sourceUsername(sourceId: string): string {
  return `${SOURCE_USERNAME_PREFIX}${sourceId}`;
}

/** Sources that arrive on the server's own broker (no `url` of their own). */
function ownBrokerSources(portfolio: Portfolio): SourceConfig[] {
  return (portfolio.sources ?? []).filter((s) => s.url === undefined);
}

/** Filters the service identity must also read: every own-broker source's. */
export function serviceSourceReads(portfolio: Portfolio): string[] {
  return ownBrokerSources(portfolio).map((s) => subscriptionFilter(sourceTopic(s) ?? '#'));
}

/** The topic filter a source identity may publish within, or undefined for no such source. */
export function sourceIdentityWrite(portfolio: Portfolio, sourceId: string): string | undefined {
  const source = ownBrokerSources(portfolio).find((s) => s.id === sourceId);
  return source ? subscriptionFilter(sourceTopic(source) ?? '#') : undefined;
}

/** What a device may publish and read besides its contract topics, for a source that names it in the topic. */
export function deviceSourceTopics(
  portfolio: Portfolio,
  device: DeviceConfig,
): { write: string[]; read: string[] } {
  const link = device.source;
  const source = link ? ownBrokerSources(portfolio).find((s) => s.id === link.id) : undefined;
  if (!link || !source) return { write: [], read: [] };
  const own = link.external_id;
  switch (source.format) {
    case 'tasmota':
      return { write: [`+/${own}/#`], read: [`cmnd/${own}/#`] };
    case 'shelly-gen2': {
      // `<prefix>/switch:1` names one component; the device's topics are under `<prefix>/`.
      const prefix = own.replace(/\/[a-z0-9_]+:\d+$/, '');
      return { write: [`${prefix}/#`], read: [`${prefix}/#`] };
    }
    case 'json': {
      const topic = sourceTopic(source) ?? '';
      if (placeholderLevel(topic) < 0) return { write: [own], read: [] };
      const mine = topic
        .split('/')
        .map((level) => (level === DEVICE_PLACEHOLDER ? own : level))
        .join('/');
      return { write: [mine], read: [] };
    }
    default:
      return { write: [], read: [] };
  }
}

/** The rules the portfolio's sources add on the server's own broker (aedes hooks, Mosquitto ACL file); undefined without any. */
export function brokerSourceRules(registry: Registry): (BrokerSourceRules & { ids: string[] }) | undefined {
  const portfolio = registry.portfolio;
  const own = ownBrokerSources(portfolio);
  if (own.length === 0) return undefined;
  const none = { write: [], read: [] };
  return {
    ids: own.map((s) => s.id),
    serviceRead: serviceSourceReads(portfolio),
    usernamePrefix: SOURCE_USERNAME_PREFIX,
    sourceWrite: (id) => sourceIdentityWrite(portfolio, id),
    deviceTopics: (id) => {
      const device = registry.device(id);
      return device?.source ? deviceSourceTopics(portfolio, device) : none;
    },
  };
}
