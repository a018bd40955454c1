/**
 * Start-up checks: the server answers, the database (v1) or bucket (v2) exists or
 * is created where the credentials allow. Failures name the setting at fault.
 */
import { HttpError, type Transport } from '@influxdata/influxdb-client';
import { ConfigError } from '../../config/config-error.js';
import type { InfluxSettings } from '../../config/settings.js';
import { v1Params } from './v1-write-transport.js';

export type Request = (
  path: string,
  body?: string,
  method?: string,
  contentType?: string,
) => Promise<unknown>;

export function requester(transport: Transport): Request {
  return (path, body = '', method = 'GET', contentType = 'application/x-www-form-urlencoded') =>
    transport.request(path, body, {
      method,
      headers: body
        ? { 'content-type': contentType, accept: 'application/json' }
        : { accept: 'application/json' },
    });
}

function statusOf(error: unknown): number | undefined {
  return error instanceof HttpError ? error.statusCode : undefined;
}

function reason(error: unknown): string {
  if (error instanceof HttpError)
    return `HTTP ${error.statusCode}${error.body ? `: ${error.body.slice(0, 120).replace(/\s+/g, ' ')}` : ''}`;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  return (code ? `${code} ` : '') + message.split('\n')[0];
}

export async function checkReachable(request: Request, settings: InfluxSettings): Promise<void> {
  try {
    await request('/ping');
  } catch (error) {
    const status = statusOf(error);
    // /ping answers 204 on every InfluxDB; anything but a transport failure means something is listening.
    if (status === undefined)
      throw new ConfigError('INFLUX_URL', `cannot reach InfluxDB at ${settings.url} (${reason(error)})`);
  }
}

export async function ensureV1Database(request: Request, settings: InfluxSettings): Promise<void> {
  const params = v1Params(settings);
  params.delete('db');
  params.delete('rp');
  const body = `q=${encodeURIComponent(`CREATE DATABASE "${settings.database.replace(/"/g, '\\"')}"`)}`;
  try {
    const response = (await request(`/query?${params.toString()}`, body, 'POST')) as {
      results?: { error?: string }[];
    };
    const failure = response.results?.find((r) => r.error)?.error;
    if (failure)
      throw new ConfigError('INFLUX_DATABASE', `cannot create database "${settings.database}" (${failure})`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const status = statusOf(error);
    if (status === 401 || status === 403) {
      throw new ConfigError(
        'INFLUX_USERNAME',
        `InfluxDB refused the credentials (${reason(error)}); check INFLUX_USERNAME and INFLUX_PASSWORD`,
      );
    }
    throw new ConfigError(
      'INFLUX_URL',
      `InfluxDB did not accept a query at ${settings.url} (${reason(error)})`,
    );
  }
}

interface BucketList {
  buckets?: { name: string }[];
}

export async function ensureV2Bucket(
  request: Request,
  settings: InfluxSettings,
  log: (line: string) => void,
): Promise<void> {
  const query = new URLSearchParams({ org: settings.org, name: settings.bucket });
  let list: BucketList;
  try {
    list = (await request(`/api/v2/buckets?${query.toString()}`)) as BucketList;
  } catch (error) {
    const status = statusOf(error);
    if (status === 401 || status === 403)
      throw new ConfigError('INFLUX_TOKEN', `InfluxDB rejected the token (${reason(error)})`);
    if (status === 404 && error instanceof HttpError && /org/i.test(error.body ?? '')) {
      throw new ConfigError('INFLUX_ORG', `unknown organisation "${settings.org}" (${reason(error)})`);
    }
    const unsupported =
      status === 400 && error instanceof HttpError && /unsupported path/i.test(error.body ?? '');
    if (status === 404 || status === 405 || unsupported) {
      // InfluxDB 1.8 and 3.x (and VictoriaMetrics) serve /api/v2/write without the bucket API.
      log(
        `influx: no bucket API at ${settings.url}; the bucket "${settings.bucket}" must exist or is created by the first write`,
      );
      return;
    }
    throw new ConfigError(
      'INFLUX_URL',
      `InfluxDB did not answer the bucket API at ${settings.url} (${reason(error)})`,
    );
  }
  if (list.buckets?.some((b) => b.name === settings.bucket)) return;
  try {
    const orgs = (await request(`/api/v2/orgs?${new URLSearchParams({ org: settings.org }).toString()}`)) as {
      orgs?: { id: string }[];
    };
    const orgID = orgs.orgs?.[0]?.id;
    if (!orgID) throw new ConfigError('INFLUX_ORG', `unknown organisation "${settings.org}"`);
    await request(
      '/api/v2/buckets',
      JSON.stringify({ orgID, name: settings.bucket, retentionRules: [] }),
      'POST',
      'application/json',
    );
    log(`influx: created bucket "${settings.bucket}"`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      'INFLUX_BUCKET',
      `bucket "${settings.bucket}" is missing and could not be created (${reason(error)})`,
    );
  }
}
