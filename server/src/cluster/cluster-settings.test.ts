import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { loadSettings } from '../config/settings.js';
import { clusterSettings, defaultInstanceId, memberClientId } from './cluster-settings.js';

const external = { mqttUrl: 'mqtt://broker:1883', influxUrl: 'http://influx:8086' };

function failingSetting(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.path;
    throw error;
  }
  return undefined;
}

describe('cluster settings', () => {
  it('is off unless INGEST_SHARE_GROUP is set, whatever else is', () => {
    expect(clusterSettings({}, external)).toBeUndefined();
    expect(clusterSettings({ INGEST_SHARE_GROUP: '', INSTANCE_ID: 'x' }, external)).toBeUndefined();
    expect(loadSettings({}).cluster).toBeUndefined();
  });

  it('takes the group, the instance id and the hold', () => {
    expect(
      clusterSettings(
        { INGEST_SHARE_GROUP: 'kutaisi-ingest', INSTANCE_ID: 'node-2', CLUSTER_HOLD_MS: '350' },
        external,
      ),
    ).toEqual({ shareGroup: 'kutaisi-ingest', instanceId: 'node-2', holdMs: 350 });
    const settings = loadSettings({
      MQTT_URL: 'mqtt://broker:1883',
      INFLUX_URL: 'http://influx:8086',
      INFLUX_API: 'v1',
      INGEST_SHARE_GROUP: 'g',
      SESSION_SECRET: 'a-cluster-wide-secret-of-32-characters',
    });
    expect(settings.cluster).toEqual({ shareGroup: 'g', instanceId: defaultInstanceId(), holdMs: 200 });
  });

  it('refuses the embedded broker and the DuckDB store, which serve one process', () => {
    expect(
      failingSetting(() =>
        loadSettings({ INGEST_SHARE_GROUP: 'g', INFLUX_URL: 'http://i:8086', INFLUX_API: 'v1' }),
      ),
    ).toBe('INGEST_SHARE_GROUP');
    expect(failingSetting(() => loadSettings({ INGEST_SHARE_GROUP: 'g', MQTT_URL: 'mqtt://b:1883' }))).toBe(
      'INGEST_SHARE_GROUP',
    );
    expect(() => clusterSettings({ INGEST_SHARE_GROUP: 'g' }, { ...external, influxUrl: undefined })).toThrow(
      /INFLUX_URL/,
    );
  });

  it.each([
    [{ INGEST_SHARE_GROUP: 'a/b' }, 'INGEST_SHARE_GROUP'],
    [{ INGEST_SHARE_GROUP: '+' }, 'INGEST_SHARE_GROUP'],
    [{ INGEST_SHARE_GROUP: 'g', INSTANCE_ID: 'node#1' }, 'INSTANCE_ID'],
    [{ INGEST_SHARE_GROUP: 'g', INSTANCE_ID: 'auth' }, 'INSTANCE_ID'],
    [{ INGEST_SHARE_GROUP: 'g', INSTANCE_ID: 'x'.repeat(65) }, 'INSTANCE_ID'],
    [{ INGEST_SHARE_GROUP: 'g', CLUSTER_HOLD_MS: '-1' }, 'CLUSTER_HOLD_MS'],
    [{ INGEST_SHARE_GROUP: 'g', CLUSTER_HOLD_MS: 'soon' }, 'CLUSTER_HOLD_MS'],
  ])('names the failing setting for %j', (env, name) => {
    expect(failingSetting(() => clusterSettings(env, external))).toBe(name);
  });

  it('derives an instance id from the host name and a client id per instance', () => {
    expect(defaultInstanceId('Web-01.Kutaisi.local')).toBe('web-01-kutaisi-local');
    expect(defaultInstanceId('...')).toBe('instance');
    expect(defaultInstanceId('x'.repeat(80))).toHaveLength(64);
    expect(memberClientId('kutaisi-telemetry-ingest', 'web-01')).toBe('kutaisi-telemetry-ingest-web-01');
  });
});
