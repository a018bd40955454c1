/**
 * Sources on a started server (config/examples/portfolio-sources.yaml, the embedded broker): a TTN v3
 * uplink, a ChirpStack v4 event, a SenML pack, a Tasmota SENSOR message and a Shelly status, each
 * stored as the mapped device's readings and read back through GET /api/series; a re-delivered uplink
 * is stored once; counters per source, dead letters with reasons, and each source's state in health.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import {
  chirpstackTopic,
  chirpstackUp,
  senmlPack,
  shellyEm,
  shellyEmdata,
  shellyNotifyStatus,
  tasmotaSensor,
  ttnTopic,
  ttnUplink,
} from './fixtures.js';

interface Health {
  status: string;
  sources?: Record<string, { state: string; broker: string }>;
}
interface Stats {
  received: number;
  stored: number;
  pending: number;
  duplicates_ignored: number;
  rejected: { by_reason: Record<string, number> };
  sources?: Record<string, { received: number; stored: number; rejected: number; ignored: number }>;
}

const PORTFOLIO = 'config/examples/portfolio-sources.yaml';

describe('sources on a started server (embedded broker)', () => {
  let server: ServerUnderTest;
  let publisher: mqtt.MqttClient;

  beforeAll(async () => {
    server = await startServerUnderTest(undefined, {}, PORTFOLIO);
    await waitFor('every source subscribed', async () => {
      const health = await server.get<Health>('/api/health');
      return health.status === 'ok' ? health : undefined;
    });
    publisher = await mqtt.connectAsync(server.runtime.mqttUrl, { clientId: `pub-sources-${process.pid}` });
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await server?.runtime.stop();
  });

  const publish = (topic: string, message: unknown) =>
    publisher.publishAsync(topic, JSON.stringify(message), { qos: 1 });

  /** The device's values of a metric around `ts`, once stored. */
  async function stored(device: string, metric: string, ts: number, count = 1): Promise<number[]> {
    return waitFor(
      `${device} ${metric} in /api/series`,
      async () => {
        const body = await server.get<{ series: { values: (number | null)[] }[] }>(
          `/api/series?device=${device}&metric=${metric}&from=${ts - 120_000}&to=${ts + 120_000}&step=60000&agg=last`,
        );
        const values = (body.series[0]?.values ?? []).filter((v): v is number => v !== null);
        return values.length >= count ? values : undefined;
      },
      10_000,
      50,
    );
  }

  it('reports each source and its state in /api/health', async () => {
    const health = await server.get<Health>('/api/health');
    expect(Object.keys(health.sources ?? {})).toEqual(['ttn', 'chirpstack', 'senml', 'tasmota', 'shelly']);
    expect(Object.values(health.sources ?? {}).every((s) => s.state === 'ok' && s.broker === 'server')).toBe(
      true,
    );
  });

  it('stores a TTN v3 uplink as the mapped device, once even when delivered twice', async () => {
    const ts = Date.now() - 30_000;
    const ids = {
      deviceId: 'kutaisi-bin-0042',
      devEui: '70B3D57ED0061B42',
      application: 'kutaisi-pilots@ttn',
    };
    const uplink = ttnUplink({
      ...ids,
      fCnt: 314,
      receivedAt: new Date(ts).toISOString(),
      decoded: { level_pct: 73, battery_mv: 3590, temperature_c: 12.5 },
    });
    const before = await server.get<Stats>('/api/ingest/stats');
    await publish(ttnTopic(ids), uplink);
    await publish(ttnTopic(ids), uplink); // the network server re-delivers it
    expect(await stored('bin-nikea-02', 'fill', ts)).toEqual([0.73]);
    expect(await stored('bin-nikea-02', 'battery_v', ts)).toEqual([3.59]);
    const after = await waitFor('both deliveries processed', async () => {
      const s = await server.get<Stats>('/api/ingest/stats');
      return (s.sources?.ttn?.received ?? 0) - (before.sources?.ttn?.received ?? 0) >= 2 && s.pending === 0
        ? s
        : undefined;
    });
    // Three metric rows the second time, all already there.
    expect(after.duplicates_ignored - before.duplicates_ignored).toBe(3);
    const minute = Math.floor(ts / 60_000) * 60_000;
    const count = await server.get<{ series: { values: (number | null)[] }[] }>(
      `/api/series?device=bin-nikea-02&metric=fill&from=${minute}&to=${minute + 60_000}&step=60000&agg=count`,
    );
    expect(count.series[0]?.values).toEqual([1]);
  });

  it('stores a ChirpStack v4 up event (distance → fill with the bin calibration)', async () => {
    const ts = Date.now() - 20_000;
    const up = {
      applicationId: '0b6ad1c3-3bd5-4c0e-9d40-0c4a3f8f1d2e',
      devEui: '70b3d57ed0061a01',
      deviceName: 'bagrati-bin-01',
      fCnt: 12,
      time: new Date(ts).toISOString(),
      object: { distance_mm: 675, battery_mv: 3570, temperature_c: 8 },
    };
    await publish(chirpstackTopic(up), chirpstackUp(up));
    expect(await stored('bin-bagrati-01', 'fill', ts)).toEqual([0.5]);
    expect(await stored('bin-bagrati-01', 'distance_mm', ts)).toEqual([675]);
  });

  it('stores a SenML fill reading that has no temperature and no seq', async () => {
    const ts = Math.floor((Date.now() - 10_000) / 1000) * 1000;
    await publish(
      'senml/gw-avtokarkhana',
      senmlPack('urn:dev:kutaisi:avtokarkhana-02:', ts / 1000, [{ n: 'level', u: '%', v: 58 }]),
    );
    expect(await stored('bin-avtokarkhana-02', 'fill', ts)).toEqual([0.58]);
    const device = await server.get<{ values: Record<string, { value: number }> }>(
      '/api/devices/bin-avtokarkhana-02',
    );
    expect(Object.keys(device.values)).toEqual(['fill']);
  });

  it('stores a Tasmota SENSOR message: local Time, kWh register and W → kW', async () => {
    const ts = Math.floor((Date.now() - 40_000) / 1000) * 1000;
    const local = new Date(ts + new LocalCalendar('Asia/Tbilisi').offsetMs(ts)).toISOString().slice(0, 19);
    await publish('tele/school-nikea-meter/SENSOR', tasmotaSensor(local, 48_211.4, 23_800));
    expect(await stored('meter-school-nikea', 'power_kw', ts)).toEqual([23.8]);
    expect(await stored('meter-school-nikea', 'energy_kwh', ts)).toEqual([48_211.4]);
  });

  it('stores a Shelly Pro 3EM notification: em:0 power and emdata:0 register as one reading, W → kW, Wh → kWh', async () => {
    const ts = Math.floor((Date.now() - 50_000) / 1000) * 1000;
    const prefix = 'shellypro3em-a0dd6c9e1f24';
    await publish(
      `${prefix}/events/rpc`,
      shellyNotifyStatus(prefix, ts / 1000, {
        'em:0': shellyEm(5400),
        'emdata:0': shellyEmdata(7_654_321, 0),
      }),
    );
    expect(await stored('meter-school-avtokarkhana', 'power_kw', ts)).toEqual([5.4]);
    expect(await stored('meter-school-avtokarkhana', 'energy_kwh', ts)).toEqual([7654.321]);
  });

  it('counts per source, and keeps dead letters with reasons', async () => {
    await publish('tele/unknown-plug/SENSOR', tasmotaSensor('2026-01-01T00:00:00', 1, 1));
    await publish('v3/x@ttn/devices/y/up', {
      end_device_ids: { device_id: 'kutaisi-bin-0042' },
      uplink_message: {},
    });
    await publish('shellypro3em-a0dd6c9e1f24/events/rpc', {
      src: 'shellypro3em-a0dd6c9e1f24',
      method: 'NotifyEvent',
      params: { ts: Date.now() / 1000, events: [{ component: 'sys', event: 'scheduled_restart' }] },
    });
    const stats = await waitFor('the counters', async () => {
      const s = await server.get<Stats>('/api/ingest/stats');
      return s.sources?.tasmota?.rejected && s.sources.shelly?.ignored && s.sources.ttn?.rejected
        ? s
        : undefined;
    });
    expect(stats.sources?.tasmota).toMatchObject({ received: 2, stored: 1, rejected: 1 });
    expect(stats.sources?.shelly).toMatchObject({ received: 2, stored: 1, ignored: 1 });
    expect(stats.sources?.ttn).toMatchObject({ received: 3, stored: 2, rejected: 1 });
    expect(stats.sources?.senml).toMatchObject({ received: 1, stored: 1 });
    expect(stats.rejected.by_reason).toMatchObject({ unknown_external_id: 1, format_mismatch: 1 });
    const letters = await server.get<{ reason: string; source?: string; topic: string; detail: string }[]>(
      '/api/ingest/dead-letters?reason=unknown_external_id',
    );
    expect(letters[0]).toMatchObject({ source: 'tasmota', topic: 'tele/unknown-plug/SENSOR' });
    expect(letters[0]?.detail).toContain('unknown-plug');
  });
});
