import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadRegistry, parsePortfolio } from '../config/portfolio.js';
import { Registry } from '../config/registry.js';
import type { Outcome } from '../ingest/classify.js';
import {
  chirpstackTopic,
  chirpstackUp,
  senmlPack,
  shellyEm,
  shellyEmdata,
  shellyNotifyStatus,
  shellySwitch,
  tasmotaSensor,
  ttnTopic,
  ttnUplink,
} from '../../../test/sources/fixtures.js';
import { SourceRouter, type RouteResult } from './source-router.js';

const registry = loadRegistry('config/examples/portfolio-sources.yaml');
const options = { maxAgeMs: 400 * 86_400_000, maxFutureMs: 300_000, timeZone: 'Asia/Tbilisi' };
const now = Date.UTC(2026, 10, 22, 12);
const iso = (ms: number) => new Date(ms).toISOString();

function router(id: string): SourceRouter {
  const source = registry.portfolio.sources?.find((s) => s.id === id);
  if (!source) throw new Error(`no source ${id}`);
  return new SourceRouter(source, registry, options);
}

async function route(id: string, topic: string, message: unknown): Promise<Outcome[]> {
  const result: RouteResult = await router(id).route(topic, Buffer.from(JSON.stringify(message)), now);
  if (!('outcomes' in result)) throw new Error(`ignored: ${result.ignored}`);
  return result.outcomes;
}

function readings(outcomes: Outcome[]) {
  return outcomes.map((o) => {
    if (o.kind !== 'reading') throw new Error(JSON.stringify(o));
    return o.reading;
  });
}

const bin = { deviceId: 'kutaisi-bin-0042', devEui: '70B3D57ED0061B42', application: 'kutaisi-pilots@ttn' };

describe('SourceRouter', () => {
  it('ttn-v3: device_id, received_at, f_cnt and the decoded payload through the map', async () => {
    const receivedAt = iso(now - 60_000).replace('Z', '123456Z');
    const decoded = { level_pct: 62, battery_mv: 3610, temperature_c: 11.5, rssi_hint: 'vendor extra' };
    const [reading] = readings(
      await route('ttn', ttnTopic(bin), ttnUplink({ ...bin, fCnt: 4711, receivedAt, decoded })),
    );
    expect(reading).toMatchObject({ device: 'bin-nikea-02', site: 'nikea', ts: now - 60_000 + 0, seq: 4711 });
    expect(reading?.metrics).toEqual({ fill: 0.62, battery_v: 3.61, temp_c: 11.5 });
  });

  it('ttn-v3: falls back to the DevEUI (any case) and accepts an uplink without f_cnt', async () => {
    const text = readFileSync('config/examples/portfolio-sources.yaml', 'utf8');
    const byEui = new Registry(
      parsePortfolio(text.replace("'kutaisi-bin-0042'", "'70b3d57ed0061b42'"), 'eui.yaml'),
    );
    const ttn = byEui.portfolio.sources?.find((s) => s.id === 'ttn');
    if (!ttn) throw new Error('no ttn source');
    const uplink = ttnUplink({ ...bin, receivedAt: iso(now), decoded: { level_pct: 10 } });
    const result = await new SourceRouter(ttn, byEui, options).route(
      ttnTopic(bin),
      Buffer.from(JSON.stringify(uplink)),
      now,
    );
    if (!('outcomes' in result)) throw new Error('ignored');
    const [reading] = readings(result.outcomes);
    expect(reading?.device).toBe('bin-nikea-02');
    expect(reading?.seq).toBeUndefined();
    expect(reading?.metrics).toEqual({ fill: 0.1 });
  });

  it('chirpstack-v4: devEui, time, fCnt and object', async () => {
    const up = {
      applicationId: '0b6ad1c3-3bd5-4c0e-9d40-0c4a3f8f1d2e',
      devEui: '70b3d57ed0061a01',
      deviceName: 'bagrati-bin-01',
      fCnt: 88,
      time: '2026-11-22T15:58:00.250+04:00',
      object: { distance_mm: 675, battery_mv: 3580, temperature_c: 9.25 },
    };
    const [reading] = readings(await route('chirpstack', chirpstackTopic(up), chirpstackUp(up)));
    expect(reading).toMatchObject({ device: 'bin-bagrati-01', ts: now - 120_000 + 250, seq: 88 });
    // Distance becomes fill with the bin's calibration, as for a native reading.
    expect(reading?.metrics).toEqual({ distance_mm: 675, battery_v: 3.58, temp_c: 9.25, fill: 0.5 });
  });

  it('senml: base name, bt + t, records resolved without the base name; a fill without temperature and seq is stored', async () => {
    const bt = now / 1000 - 1800;
    const pack = senmlPack('urn:dev:kutaisi:avtokarkhana-02:', bt, [
      { n: 'level', u: '%', v: 40 },
      { n: 'battery', u: 'V', v: 3.5 },
      { n: 'level', u: '%', v: 45, t: 900 },
    ]);
    const [first, second] = readings(await route('senml', 'senml/gw-avtokarkhana', pack));
    expect(first).toMatchObject({ device: 'bin-avtokarkhana-02', ts: now - 1_800_000, seq: undefined });
    expect(first?.metrics).toEqual({ fill: 0.4, battery_v: 3.5 });
    expect(second).toMatchObject({ ts: now - 900_000, metrics: { fill: 0.45 } });
  });

  it('tasmota: the topic names the device, Time is Kutaisi local time, W becomes kW', async () => {
    // 15:30 in Tbilisi (UTC+4) is 11:30 UTC.
    const [reading] = readings(
      await route(
        'tasmota',
        'tele/school-nikea-meter/SENSOR',
        tasmotaSensor('2026-11-22T15:30:00', 48211.4, 23800),
      ),
    );
    expect(reading).toMatchObject({ device: 'meter-school-nikea', ts: now - 1_800_000, seq: undefined });
    expect(reading?.metrics).toEqual({ energy_kwh: 48211.4, power_kw: 23.8 });
  });

  it('shelly-gen2: em:0 power and emdata:0 registers (W, Wh → kW, kWh), switch:0, NotifyStatus with its ts', async () => {
    const prefix = 'shellypro3em-a0dd6c9e1f24';
    const [power] = readings(await route('shelly', `${prefix}/status/em:0`, shellyEm(5400)));
    expect(power).toMatchObject({ device: 'meter-school-avtokarkhana', ts: now, metrics: { power_kw: 5.4 } });
    const [register] = readings(
      await route('shelly', `${prefix}/status/emdata:0`, shellyEmdata(1_234_500, 2_000)),
    );
    expect(register?.metrics).toEqual({ energy_kwh: 1234.5, export_kwh: 2 });
    const plug = 'shellyplus1pm-08b61fcf4a10';
    const [sw] = readings(await route('shelly', `${plug}/status/switch:0`, shellySwitch(0, 750, 98_765)));
    expect(sw).toMatchObject({
      device: 'meter-kindergarten-rustaveli',
      metrics: { power_kw: 0.75, energy_kwh: 98.765 },
    });
    const note = shellyNotifyStatus(plug, now / 1000 - 5.5, { 'switch:0': { id: 0, apower: 812 } });
    const [notified] = readings(await route('shelly', `${plug}/events/rpc`, note));
    expect(notified).toMatchObject({ ts: now - 5500, metrics: { power_kw: 0.812 } });
    const wifi = await router('shelly').route(
      `${plug}/status/wifi`,
      Buffer.from('{"sta_ip":"10.0.0.9","rssi":-61}'),
      now,
    );
    expect(wifi).toEqual({ ignored: 'component wifi' });
  });

  it('json: the device from the {device} level of the filter, or the exact topic; the map reads the message', async () => {
    const text = readFileSync('config/examples/portfolio-sources.yaml', 'utf8')
      .replace(
        '  - id: shelly\n',
        "  - id: plain\n    format: json\n    topic: 'city/sensors/{device}/data'\n  - id: exact\n    format: json\n    topic: 'school/+/meter'\n  - id: shelly\n",
      )
      .replace(
        "      external_id: 'shellyplus1pm-08b61fcf4a10'",
        "      external_id: 'school/rustaveli/meter'",
      )
      .replace(
        "      id: shelly\n      external_id: 'school/rustaveli/meter'",
        '      id: exact\n      external_id: \'school/rustaveli/meter\'\n      map: \'{"ts": $message.at, "power_kw": w / 1000}\'',
      )
      .replace(
        "      id: tasmota\n      external_id: 'kindergarten-bagrati-meter'",
        "      id: plain\n      external_id: 'kg-bagrati'",
      );
    const withJson = new Registry(parsePortfolio(text, 'json.yaml'));
    const source = (id: string) => {
      const s = withJson.portfolio.sources?.find((x) => x.id === id);
      if (!s) throw new Error(id);
      return new SourceRouter(s, withJson, options);
    };
    const plain = await source('plain').route(
      'city/sensors/kg-bagrati/data',
      Buffer.from(JSON.stringify({ ts: now - 5000, energy_kwh: 77.5, vendor: 'x' })),
      now,
    );
    expect(plain).toMatchObject({
      outcomes: [
        { kind: 'reading', reading: { device: 'meter-kindergarten-bagrati', metrics: { energy_kwh: 77.5 } } },
      ],
    });
    const exact = await source('exact').route(
      'school/rustaveli/meter',
      Buffer.from(JSON.stringify({ at: now - 1000, w: 2500 })),
      now,
    );
    expect(exact).toMatchObject({
      outcomes: [
        {
          kind: 'reading',
          reading: { device: 'meter-kindergarten-rustaveli', ts: now - 1000, metrics: { power_kw: 2.5 } },
        },
      ],
    });
    const other = await source('exact').route('school/nikea/meter', Buffer.from('{"at": 1, "w": 1}'), now);
    expect(other).toMatchObject({ outcomes: [{ kind: 'rejected', reason: 'unknown_external_id' }] });
  });

  it.each([
    [
      'ttn',
      'v3/a@ttn/devices/x/up',
      {
        end_device_ids: { device_id: 'nobody' },
        uplink_message: { received_at: iso(now), decoded_payload: {} },
      },
      'unknown_external_id',
    ],
    ['ttn', ttnTopic(bin), ttnUplink({ ...bin, receivedAt: iso(now) }), 'format_mismatch'],
    ['ttn', ttnTopic(bin), { join_accept: {} }, 'format_mismatch'],
    [
      'ttn',
      ttnTopic(bin),
      ttnUplink({ ...bin, receivedAt: iso(now), decoded: { battery_mv: 3600 } }),
      'schema_violation',
    ],
    [
      'ttn',
      ttnTopic(bin),
      ttnUplink({ ...bin, receivedAt: iso(now), decoded: { level_pct: 'full' } }),
      'map_failed',
    ],
    [
      'ttn',
      ttnTopic(bin),
      ttnUplink({ ...bin, receivedAt: iso(now), decoded: { level_pct: 160 } }),
      'out_of_range',
    ],
    [
      'ttn',
      ttnTopic(bin),
      ttnUplink({ ...bin, receivedAt: iso(now + 3_600_000), decoded: { level_pct: 1 } }),
      'ts_in_future',
    ],
    ['senml', 'senml/x', [{ n: 'level', v: 3 }], 'format_mismatch'],
    [
      'tasmota',
      'tele/school-nikea-meter/STATE',
      tasmotaSensor('2026-11-22T15:30:00', 1, 1),
      'format_mismatch',
    ],
    [
      'tasmota',
      'tele/school-nikea-meter/SENSOR',
      { Time: '2026-11-22T15:30:00', DS18B20: { Temperature: 21 } },
      'schema_violation',
    ],
  ] as const)('%s %s → %s', async (id, topic, message, reason) => {
    const [outcome] = await route(id, topic, message);
    expect(outcome).toMatchObject({ kind: 'rejected', reason });
  });

  it('rejects bytes that are not JSON, and oversized payloads, without throwing', async () => {
    const ttn = router('ttn');
    expect(await ttn.route('v3/a/devices/b/up', Buffer.from('{"end_device_ids":'), now)).toMatchObject({
      outcomes: [{ kind: 'rejected', reason: 'json_malformed' }],
    });
    expect(await ttn.route('v3/a/devices/b/up', Buffer.alloc(17_000, 32), now)).toMatchObject({
      outcomes: [{ kind: 'rejected', reason: 'payload_too_large' }],
    });
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(Array.from({ length: (i * 7) % 90 }, (_, j) => (i * 31 + j * 17) % 256));
      for (const id of ['ttn', 'chirpstack', 'senml', 'tasmota', 'shelly'])
        await expect(router(id).route('tele/x/SENSOR', bytes, now)).resolves.toBeDefined();
    }
  });
});
