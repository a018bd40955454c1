/**
 * One source's messages → outcomes: the format finds the device's external id, time and decoded
 * object; the device's map (or the format's own conversion) yields contract fields; from there the
 * native path's classifyTelemetry validates and normalises, so a source reading is a reading.
 */
import { MAX_PAYLOAD_BYTES } from '../contract/index.js';
import type { DeviceConfig, SourceConfig } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import {
  classifyTelemetry,
  parseJson,
  parseJsonObject,
  reject,
  type ClassifyOptions,
  type Outcome,
} from '../ingest/classify.js';
import { FORMATS, type SourceFormat, type SourceReading } from './formats/index.js';
import { externalKey, sourceTopic } from './source-check.js';
import { applyMap, compileMap, type CompiledMap } from './source-maps.js';

interface Target {
  device: DeviceConfig;
  map: CompiledMap | undefined;
}

/** Readings and rejections of one message; `ignored` when it carries no measurement. */
export type RouteResult = { outcomes: Outcome[] } | { ignored: string };

export class SourceRouter {
  readonly topic: string;
  private readonly format: SourceFormat;
  private readonly targets = new Map<string, Target>();

  constructor(
    readonly source: SourceConfig,
    registry: Registry,
    private readonly options: Pick<ClassifyOptions, 'maxAgeMs' | 'maxFutureMs'> & { timeZone: string },
  ) {
    this.format = FORMATS[source.format];
    this.topic = sourceTopic(source) ?? '#';
    for (const device of registry.devices.values()) {
      const link = device.source;
      if (link?.id !== source.id) continue;
      this.targets.set(externalKey(link.external_id), {
        device,
        map: link.map === undefined ? undefined : compileMap(link.map),
      });
    }
  }

  /** Devices bound to this source. */
  get size(): number {
    return this.targets.size;
  }

  async route(topic: string, payload: Buffer, now: number): Promise<RouteResult> {
    if (payload.length > MAX_PAYLOAD_BYTES)
      return single(
        reject('payload_too_large', `${payload.length} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`),
      );
    const parsed = this.format.acceptsArray ? parseJson(payload) : parseJsonObject(payload);
    if (!parsed.ok) return single(parsed.outcome);
    const decoded = this.format.decode(parsed.value, {
      topic,
      filter: this.topic,
      timeZone: this.options.timeZone,
      now,
    });
    if (!decoded.ok) return single(reject(decoded.reason, decoded.detail));
    if ('ignored' in decoded) return { ignored: decoded.ignored };
    const outcomes: Outcome[] = [];
    const payloads: { device: DeviceConfig; payload: Record<string, unknown> }[] = [];
    for (const reading of decoded.readings) {
      const resolved = await this.resolve(reading, parsed.value, topic);
      if ('kind' in resolved) outcomes.push(resolved);
      else {
        // Parts of one measurement (a Shelly 3EM's power and its registers) become one reading.
        const same = payloads.find(
          (p) => p.device === resolved.device && p.payload.ts === resolved.payload.ts,
        );
        if (same) Object.assign(same.payload, resolved.payload);
        else payloads.push(resolved);
      }
    }
    for (const { device, payload } of payloads)
      outcomes.push(classifyTelemetry(device, payload, now, this.options));
    return { outcomes };
  }

  /** The device and its contract payload, or the rejection. */
  private async resolve(
    reading: SourceReading,
    message: unknown,
    topic: string,
  ): Promise<Outcome | { device: DeviceConfig; payload: Record<string, unknown> }> {
    let target: Target | undefined;
    for (const id of reading.externalIds) if ((target = this.targets.get(externalKey(id)))) break;
    if (!target)
      return reject(
        'unknown_external_id',
        `no device has source ${this.source.id} with external_id ${reading.externalIds.map((id) => `"${id}"`).join(' or ')}`,
      );
    const { device, map } = target;
    let fields: unknown;
    if (map) {
      const mapped = await applyMap(map, reading.object, message, topic);
      if (!mapped.ok) return reject('map_failed', mapped.detail, device.id);
      fields = mapped.fields;
    } else {
      fields = reading.fields ?? reading.object;
    }
    return { device, payload: { ...reading.base, ...(fields as object) } };
  }
}

function single(outcome: Outcome): RouteResult {
  return { outcomes: [outcome] };
}
