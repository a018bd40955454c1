/**
 * Start-up checks of the portfolio's `sources:` and of each device's `source:`: a bad topic filter,
 * an unknown source id, a duplicate external id or a map that does not compile stops start-up
 * (exit code 2) with the failing path and the device it concerns.
 */
import { ConfigError } from '../config/config-error.js';
import type { Portfolio, SourceConfig } from '../config/portfolio-schema.js';
import { FORMATS } from './formats/index.js';
import { compileMap } from './source-maps.js';
import { filterProblem, placeholderLevel, topicMatches } from './topic-filter.js';

/** The source's topic filter: as configured, or the format's usual one. */
export function sourceTopic(source: SourceConfig): string | undefined {
  return source.topic ?? FORMATS[source.format].defaultTopic;
}

/** External ids are matched case-insensitively (a DevEUI is written either way). */
export function externalKey(externalId: string): string {
  return externalId.toLowerCase();
}

export function checkSourceReferences(portfolio: Portfolio, label: string): void {
  const sources = new Map<string, SourceConfig>();
  (portfolio.sources ?? []).forEach((source, i) => {
    const at = `${label}:/sources/${i}`;
    if (sources.has(source.id))
      throw new ConfigError(`${at}/id`, `expected a unique id, "${source.id}" repeats`);
    sources.set(source.id, source);
    if ('password' in source)
      throw new ConfigError(
        `${at}/password`,
        'expected password_env (the name of an environment variable): passwords never go in the portfolio',
      );
    const topic = sourceTopic(source);
    if (topic === undefined)
      throw new ConfigError(`${at}/topic`, `expected a topic filter for the ${source.format} format`);
    const problem = filterProblem(topic, source.format === 'json');
    if (problem) throw new ConfigError(`${at}/topic`, `expected ${problem}, got "${topic}"`);
    if (source.url !== undefined && !URL.canParse(source.url))
      throw new ConfigError(
        `${at}/url`,
        `expected a broker URL such as mqtts://host:8883, got "${source.url}"`,
      );
    if (source.password_env !== undefined && source.username === undefined)
      throw new ConfigError(`${at}/username`, 'expected a username to go with password_env');
  });

  const seen = new Map<string, string>();
  portfolio.devices.forEach((device, i) => {
    const link = device.source;
    if (!link) return;
    const at = `${label}:/devices/${i}/source`;
    const source = sources.get(link.id);
    if (!source)
      throw new ConfigError(
        `${at}/id`,
        `expected a source from sources:, got "${link.id}" (device ${device.id})`,
      );
    const format = FORMATS[source.format];
    const key = `${source.id}\n${externalKey(link.external_id)}`;
    const other = seen.get(key);
    if (other !== undefined)
      throw new ConfigError(
        `${at}/external_id`,
        `expected a unique external id in source ${source.id}, "${link.external_id}" is also ${other}'s (device ${device.id})`,
      );
    seen.set(key, device.id);
    const idProblem = externalIdProblem(source, link.external_id);
    if (idProblem) throw new ConfigError(`${at}/external_id`, `expected ${idProblem} (device ${device.id})`);
    if (link.map !== undefined) {
      try {
        compileMap(link.map);
      } catch (error) {
        throw new ConfigError(
          `${at}/map`,
          `expected a JSONata expression (device ${device.id}): ${(error as Error).message}`,
        );
      }
    } else if (format.builtInDomain !== undefined && format.builtInDomain !== device.domain) {
      throw new ConfigError(
        `${at}/map`,
        `expected a map: ${source.format} yields ${format.builtInDomain} readings by itself, device ${device.id} is ${device.domain}`,
      );
    }
  });
}

function externalIdProblem(source: SourceConfig, externalId: string): string | undefined {
  const topicLevel =
    source.format === 'tasmota' || (source.format === 'json' && placeholderLevel(source.topic ?? '') >= 0);
  if (topicLevel && /[/+#]/.test(externalId)) return `one topic level without / + # , got "${externalId}"`;
  if (source.format === 'shelly-gen2' && /[+#]/.test(externalId))
    return `a Shelly MQTT prefix without + or #, got "${externalId}"`;
  if (source.format === 'json' && !topicLevel && !topicMatches(source.topic ?? '', externalId))
    return `the topic the device publishes on, matched by ${source.topic}, got "${externalId}"`;
  return undefined;
}
