/**
 * Per-device MQTT credentials derived from one secret: username = the device id,
 * password = base64url(HMAC-SHA256(DEVICE_KEY, deviceId)), unpadded. Nothing per device is
 * stored anywhere: the broker re-derives the password on connect, the provisioning CLI
 * (`npm run device-credentials`) prints it, and firmware can be flashed with it. Rotating
 * DEVICE_KEY rotates every device's password at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server's own MQTT identity when MQTT_USERNAME is unset. The dot keeps it outside the
 * device-id pattern `[a-z0-9][a-z0-9_-]{0,63}`, so no device can ever be registered under it.
 */
export const SERVICE_USERNAME = 'kutaisi.server';

/**
 * DEMO-ONLY device key, used by `npm run demo` when DEVICE_KEY is not set. It is public (it is
 * in this file), so anyone can derive every demo device's password: never use it in production.
 */
export const DEMO_DEVICE_KEY = 'kutaisi-demo-only-device-key-not-a-secret';

/** Shortest DEVICE_KEY accepted: the key is the root of every device's password. */
export const MIN_DEVICE_KEY_LENGTH = 16;

export function devicePassword(deviceKey: string, deviceId: string): string {
  return createHmac('sha256', deviceKey).update(deviceId, 'utf8').digest('base64url');
}

/** A random service password for the embedded broker when MQTT_PASSWORD is unset: it lives only in this process. */
export function mintServicePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of a presented password with the expected one. */
export function passwordMatches(presented: Buffer | string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const given = typeof presented === 'string' ? Buffer.from(presented, 'utf8') : presented;
  const wanted = Buffer.from(expected, 'utf8');
  // The lengths of derived and minted passwords are public; only the content must not leak through timing.
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
