/**
 * What the simulator's devices send inside another system's envelope: the decoded object of a
 * LoRaWAN payload formatter (The Things Stack) or codec (ChirpStack), and SenML records. These are
 * the shapes the maps of config/examples/portfolio-sources.yaml read (docs/sources.md lists them).
 */
import type { Domain } from '../../server/src/contract/index.js';

type Fields = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
/** A unit conversion, rounded to what the device's resolution gives (no 23.400000000000002 %). */
const times = (v: unknown, k: number) => (typeof v === 'number' ? Math.round(v * k * 1e6) / 1e6 : undefined);

function defined(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** Short names a counter's decoder gives the travel classes. */
const CLASS_NAMES: Record<string, string> = {
  pedestrian: 'ped',
  bicycle: 'bike',
  escooter: 'scooter',
  car: 'car',
  bus: 'bus',
};

/** The decoded uplink of a bin sensor, a counter or a LoRaWAN meter. */
export function decodedObject(domain: Domain, f: Fields): Fields {
  switch (domain) {
    case 'waste':
      return defined({
        level_pct: times(f.fill, 100),
        distance_mm: num(f.distance_mm),
        battery_mv: times(f.battery_v, 1000),
        temperature_c: num(f.temp_c),
        tilt_deg: num(f.tilt_deg),
      });
    case 'mobility': {
      const out: Fields = { period_s: f.interval_s };
      const counts = (f.counts ?? {}) as Record<string, { in: number; out: number }>;
      for (const [cls, c] of Object.entries(counts)) {
        const name = CLASS_NAMES[cls] ?? cls;
        out[`${name}_in`] = c.in;
        out[`${name}_out`] = c.out;
      }
      return out;
    }
    case 'energy':
      return defined({
        energy_wh: times(f.energy_kwh, 1000),
        power_w: times(f.power_kw, 1000),
        export_wh: times(f.export_kwh, 1000),
      });
    default:
      // A domain without a vendor shape of its own: the contract's fields as they are.
      return { ...f };
  }
}

/** SenML records (without the base fields) of one reading. */
export function senmlRecords(domain: Domain, f: Fields): Fields[] {
  const record = (n: string, u: string, v: unknown) => (typeof v === 'number' ? [{ n, u, v }] : []);
  switch (domain) {
    case 'waste':
      return [
        ...record('level', '%', times(f.fill, 100)),
        ...record('distance', 'm', times(f.distance_mm, 0.001)),
        ...record('battery', 'V', f.battery_v),
        ...record('temperature', 'Cel', f.temp_c),
        ...record('tilt', 'deg', f.tilt_deg),
      ];
    case 'energy':
      return [...record('energy', 'kWh', f.energy_kwh), ...record('power', 'W', times(f.power_kw, 1000))];
    case 'mobility': {
      const counts = (f.counts ?? {}) as Record<string, { in: number; out: number }>;
      return [
        ...record('period', 's', f.interval_s),
        ...Object.entries(counts).flatMap(([cls, c]) => [
          ...record(`${cls}_in`, 'count', c.in),
          ...record(`${cls}_out`, 'count', c.out),
        ]),
      ];
    }
    default:
      return Object.entries(f).flatMap(([n, v]) => record(n, '', v));
  }
}
