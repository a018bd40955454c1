/** Shape of config/portfolio.yaml: sites, pilots with their experiments, and devices. */
import { Type, type Static } from '@sinclair/typebox';
import { TRAVEL_CLASSES } from '../contract/index.js';
import { AlertsConfig } from '../alerts/alert-settings.js';
import { PublicConfig } from '../auth/public-view.js';

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Text = Type.Object({ en: Type.String({ minLength: 1 }), ka: Type.String({ minLength: 1 }) });
/** Domains a pilot can run experiments in; weather is measured for all of them. */
export const PILOT_DOMAINS = ['waste', 'mobility', 'energy'] as const;
const PilotDomain = Type.Union(PILOT_DOMAINS.map((d) => Type.Literal(d)));

export const Site = Type.Object({
  id: Id,
  name: Text,
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  tags: Type.Optional(Type.Array(Type.String())),
});

export const Period = Type.Object({ from: IsoDate, to: IsoDate });

export const Experiment = Type.Object({
  id: Id,
  question: Text,
  intervention: Text,
  intervention_sites: Type.Array(Id, { minItems: 1 }),
  control_sites: Type.Array(Id),
  baseline: Period,
  start: IsoDate,
  kpis: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), { minItems: 1 }),
  /** Planted truth for the simulators; ignored by the server. */
  simulation: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const Pilot = Type.Object({
  id: Id,
  domain: PilotDomain,
  name: Text,
  experiments: Type.Array(Experiment, { minItems: 1 }),
});

/** Where real devices' messages come from when they do not speak the contract (server/src/sources/, docs/sources.md). */
export const SOURCE_FORMATS = ['ttn-v3', 'chirpstack-v4', 'senml', 'tasmota', 'shelly-gen2', 'json'] as const;
export type SourceFormatName = (typeof SOURCE_FORMATS)[number];

export const SourceConfig = Type.Object({
  id: Id,
  format: Type.Union(SOURCE_FORMATS.map((f) => Type.Literal(f))),
  /** MQTT topic filter; the format's usual one when left out (docs/sources.md). */
  topic: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  /** Another broker (a network server's MQTT integration); the server's own broker when left out. */
  url: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?)://.', maxLength: 512 })),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  /** The environment variable that holds the password: passwords never go in the portfolio. */
  password_env: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' })),
});

export const DeviceSource = Type.Object({
  /** A source id from `sources:`. */
  id: Id,
  /** How the source names the device (a LoRaWAN device id or DevEUI, a Tasmota topic, a SenML base name, …). */
  external_id: Type.String({ minLength: 1, maxLength: 256 }),
  /** JSONata over the decoded object, yielding the contract's payload fields for the device's domain. */
  map: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
});

const DeviceBase = {
  id: Id,
  site: Id,
  pilot: Id,
  reporting_interval_s: Type.Integer({ minimum: 1, maximum: 86_400 }),
  model: Type.Optional(Type.String()),
  source: Type.Optional(DeviceSource),
};

export const WasteDevice = Type.Object({
  ...DeviceBase,
  domain: Type.Literal('waste'),
  sensor: Type.Union([Type.Literal('ultrasonic'), Type.Literal('fill')]),
  capacity_l: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Ultrasonic range to the waste when the bin is empty and when it is full. */
  calibration: Type.Optional(
    Type.Object({
      empty_mm: Type.Number({ exclusiveMinimum: 0 }),
      full_mm: Type.Number({ minimum: 0 }),
    }),
  ),
});

export const MobilityDevice = Type.Object({
  ...DeviceBase,
  domain: Type.Literal('mobility'),
  classes: Type.Array(Type.Union(TRAVEL_CLASSES.map((c) => Type.Literal(c))), { minItems: 1 }),
  directions: Type.Object({ in: Type.String(), out: Type.String() }),
});

export const EnergyDevice = Type.Object({
  ...DeviceBase,
  domain: Type.Literal('energy'),
  building_type: Type.Union([
    Type.Literal('school'),
    Type.Literal('kindergarten'),
    Type.Literal('office'),
    Type.Literal('other'),
  ]),
  building_name: Type.Optional(Text),
  floor_area_m2: Type.Number({ exclusiveMinimum: 0 }),
});

/** A weather station: it serves the whole city (or the sites that name it), so it has no pilot. */
export const WeatherDevice = Type.Object({
  ...DeviceBase,
  pilot: Type.Optional(Type.Never({ description: 'a weather station belongs to no pilot' })),
  domain: Type.Literal('weather'),
});

export const Device = Type.Union([WasteDevice, MobilityDevice, EnergyDevice, WeatherDevice]);

/**
 * Which station's temperature normalises energy: one for the city, and optionally another per site
 * (a building nearer a second station). Without it, the first weather device serves the city.
 */
export const WeatherConfig = Type.Object(
  {
    station: Type.Optional(Id),
    sites: Type.Optional(Type.Record(Type.String(), Id)),
  },
  { additionalProperties: false },
);

export const PortfolioSchema = Type.Object({
  city: Type.String(),
  timezone: Type.String(),
  sites: Type.Array(Site, { minItems: 1 }),
  pilots: Type.Array(Pilot, { minItems: 1 }),
  devices: Type.Array(Device),
  /** Real device formats and the brokers they arrive on (server/src/sources/). */
  sources: Type.Optional(Type.Array(SourceConfig)),
  /** Alert thresholds by domain, model, site and device (server/src/alerts/alert-settings.ts). */
  alerts: Type.Optional(AlertsConfig),
  weather: Type.Optional(WeatherConfig),
  /** Public read-only mode: pilots whose live indicators anonymous visitors may see (server/src/auth/public-view.ts). */
  public: Type.Optional(PublicConfig),
});

export type Site = Static<typeof Site>;
export type Experiment = Static<typeof Experiment>;
export type Pilot = Static<typeof Pilot>;
export type WasteDevice = Static<typeof WasteDevice>;
export type MobilityDevice = Static<typeof MobilityDevice>;
export type EnergyDevice = Static<typeof EnergyDevice>;
export type WeatherDevice = Static<typeof WeatherDevice>;
export type DeviceConfig = Static<typeof Device>;
export type SourceConfig = Static<typeof SourceConfig>;
export type DeviceSource = Static<typeof DeviceSource>;
export type Portfolio = Static<typeof PortfolioSchema>;
