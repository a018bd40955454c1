/** Valid and deliberately malformed messages for the ingest tests. */
export interface Message {
  topic: string;
  payload: string;
}

export const WASTE_DEVICES = [
  'bin-central-square-02',
  'bin-green-bazaar-02',
  'bin-white-bridge-02',
  'bin-nikea-02',
  'bin-avtokarkhana-02',
  'bin-bagrati-02',
];

/** Reading i of a steady stream: distinct (device, ts) for every i, all in the recent past. */
export function validWaste(root: string, i: number, base: number): Message {
  const device = WASTE_DEVICES[i % WASTE_DEVICES.length] as string;
  const payload = {
    ts: base + i * 1000,
    seq: Math.floor(i / WASTE_DEVICES.length),
    fill: (i % 100) / 100,
    battery_v: 3.6,
    temp_c: 10,
    src: 'sim',
  };
  return { topic: `${root}/waste/${device}/telemetry`, payload: JSON.stringify(payload) };
}

/** Twelve kinds of bad input, each with the reason the server must give. */
export function malformed(root: string, i: number, now: number): Message & { reason: string } {
  const bin = `${root}/waste/bin-nikea-02/telemetry`;
  const good = { ts: now - 1000, seq: i, fill: 0.5, battery_v: 3.6, temp_c: 9 };
  const kinds: (Message & { reason: string })[] = [
    { reason: 'topic_invalid', topic: `${root}/waste/bin-nikea-02/config`, payload: JSON.stringify(good) },
    { reason: 'topic_invalid', topic: `${root}/waste/BAD_ID/telemetry`, payload: JSON.stringify(good) },
    {
      reason: 'unknown_device',
      topic: `${root}/waste/bin-does-not-exist/telemetry`,
      payload: JSON.stringify(good),
    },
    {
      reason: 'domain_mismatch',
      topic: `${root}/energy/bin-nikea-02/telemetry`,
      payload: JSON.stringify(good),
    },
    {
      reason: 'payload_too_large',
      topic: bin,
      payload: JSON.stringify({ ...good, blob: 'x'.repeat(17 * 1024) }),
    },
    { reason: 'json_malformed', topic: bin, payload: '{"ts": 1, "fill": 0.5,' },
    { reason: 'not_an_object', topic: bin, payload: '[0.5, 3.6]' },
    { reason: 'schema_violation', topic: bin, payload: JSON.stringify({ ...good, fill: 'half' }) },
    { reason: 'out_of_range', topic: bin, payload: JSON.stringify({ ...good, fill: 3.5 }) },
    { reason: 'ts_invalid', topic: bin, payload: JSON.stringify({ ...good, ts: 'tomorrow-ish' }) },
    { reason: 'ts_in_future', topic: bin, payload: JSON.stringify({ ...good, ts: now + 3_600_000 }) },
    { reason: 'ts_too_old', topic: bin, payload: JSON.stringify({ ...good, ts: now - 500 * 86_400_000 }) },
    {
      reason: 'calibration_missing',
      topic: bin,
      payload: JSON.stringify({ ts: now, seq: i, distance_mm: 500, battery_v: 3.6, temp_c: 9 }),
    },
  ];
  return kinds[i % kinds.length] as Message & { reason: string };
}
