import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadSettings } from './settings.js';

describe('loadSettings', () => {
  it('uses the documented defaults', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      portfolioPath: 'config/portfolio.yaml',
      logLevel: 'info',
      mqtt: {
        url: undefined,
        embeddedPort: 1883,
        topicRoot: 'kutaisi/v1',
        clientId: 'kutaisi-telemetry-ingest',
      },
      demo: false,
      heapGrowthPercent: 50,
    });
    expect(loadSettings({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MQTT_URL: 'not a url' }, 'MQTT_URL'],
    [{ MQTT_URL: 'http://127.0.0.1:1883' }, 'MQTT_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MQTT_TOPIC_ROOT: 'kutaisi/#' }, 'MQTT_TOPIC_ROOT'],
    [{ INGEST_BATCH_SIZE: '0' }, 'INGEST_BATCH_SIZE'],
    [{ DEMO: 'perhaps' }, 'DEMO'],
    [{ HEAP_GROWTH_PERCENT: '400' }, 'HEAP_GROWTH_PERCENT'],
  ])('names the failing setting for %j', (env, name) => {
    expect(() => loadSettings(env)).toThrow(ConfigError);
    try {
      loadSettings(env);
    } catch (error) {
      expect((error as ConfigError).path).toBe(name);
      expect((error as ConfigError).message).not.toContain('\n');
    }
  });
});
