import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { loadSettings } from '../config/settings.js';
import { isLoopbackHost, loadDeviceAuthSettings } from './broker-settings.js';
import { DEMO_DEVICE_KEY } from './device-credentials.js';

const KEY = 'a-device-key-with-enough-characters';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('device authentication settings', () => {
  it('defaults to an open embedded broker on loopback', () => {
    expect(loadSettings({}).mqtt).toMatchObject({
      embeddedHost: '127.0.0.1',
      deviceKey: undefined,
      demoDeviceKey: false,
    });
  });

  it('uses DEVICE_KEY when set', () => {
    expect(loadDeviceAuthSettings({ DEVICE_KEY: KEY }, { demo: false, mqttUrl: undefined })).toEqual({
      embeddedHost: '127.0.0.1',
      deviceKey: KEY,
      demoDeviceKey: false,
    });
  });

  it('gives the demo the demo-only key, and a real key wins over it', () => {
    expect(loadSettings({ DEMO: '1' }).mqtt).toMatchObject({
      deviceKey: DEMO_DEVICE_KEY,
      demoDeviceKey: true,
    });
    expect(loadSettings({ DEMO: '1', DEVICE_KEY: KEY }).mqtt).toMatchObject({
      deviceKey: KEY,
      demoDeviceKey: false,
    });
  });

  it('refuses a short DEVICE_KEY', () => {
    expect(configError(() => loadSettings({ DEVICE_KEY: 'short' })).path).toBe('DEVICE_KEY');
  });

  it('refuses an open embedded broker on a non-loopback address, naming DEVICE_KEY', () => {
    const error = configError(() => loadSettings({ MQTT_EMBEDDED_HOST: '0.0.0.0' }));
    expect(error.path).toBe('DEVICE_KEY');
    expect(error.message).toContain('0.0.0.0');
    expect(configError(() => loadSettings({ MQTT_EMBEDDED_HOST: '0.0.0.0', DEMO: '1' })).path).toBe(
      'DEVICE_KEY',
    );
    expect(loadSettings({ MQTT_EMBEDDED_HOST: '0.0.0.0', DEVICE_KEY: KEY }).mqtt.embeddedHost).toBe(
      '0.0.0.0',
    );
    // With an external broker the embedded one never starts, so its host does not matter.
    expect(
      loadSettings({ MQTT_EMBEDDED_HOST: '0.0.0.0', MQTT_URL: 'mqtt://broker:1883' }).mqtt.deviceKey,
    ).toBeUndefined();
  });

  it('refuses a malformed MQTT_EMBEDDED_HOST', () => {
    expect(configError(() => loadSettings({ MQTT_EMBEDDED_HOST: 'a b' })).path).toBe('MQTT_EMBEDDED_HOST');
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['broker.example', false],
    ['128.0.0.1', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
