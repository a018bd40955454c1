/** The source formats by name (portfolio `sources[].format`). */
import type { SourceFormatName } from '../../config/portfolio-schema.js';
import { chirpstackV4 } from './chirpstack-v4.js';
import type { SourceFormat } from './format.js';
import { json } from './json.js';
import { senml } from './senml.js';
import { shellyGen2 } from './shelly-gen2.js';
import { tasmota } from './tasmota.js';
import { ttnV3 } from './ttn-v3.js';

export const FORMATS: Record<SourceFormatName, SourceFormat> = {
  'ttn-v3': ttnV3,
  'chirpstack-v4': chirpstackV4,
  senml,
  tasmota,
  'shelly-gen2': shellyGen2,
  json,
};

export type { Decoded, FormatContext, SourceFormat, SourceReading } from './format.js';
