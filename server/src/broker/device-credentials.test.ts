import { describe, expect, it } from 'vitest';
import {
  DEMO_DEVICE_KEY,
  devicePassword,
  mintServicePassword,
  passwordMatches,
} from './device-credentials.js';

describe('devicePassword', () => {
  it('is base64url(HMAC-SHA256(key, device id)) without padding (RFC 4231 test case 2)', () => {
    // HMAC-SHA256("Jefe", "what do ya want for nothing?") = 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
    const expected = Buffer.from(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      'hex',
    ).toString('base64url');
    expect(devicePassword('Jefe', 'what do ya want for nothing?')).toBe(expected);
    expect(expected).not.toContain('=');
  });

  it('matches the openssl one-liner documented for firmware provisioning', () => {
    // printf %s bin-nikea-02 | openssl dgst -sha256 -hmac "$DEMO_DEVICE_KEY" -binary | basenc --base64url | tr -d =
    expect(devicePassword(DEMO_DEVICE_KEY, 'bin-nikea-02')).toBe(
      'kdZ2GDt5cFYGhtr3yE6_Ljrx1I1sxfNSb_omavr4nbY',
    );
  });

  it('differs per device and per key', () => {
    const key = 'a-device-key-of-32-characters-xx';
    expect(devicePassword(key, 'bin-nikea-01')).not.toBe(devicePassword(key, 'bin-nikea-02'));
    expect(devicePassword(key, 'bin-nikea-01')).not.toBe(devicePassword(`${key}y`, 'bin-nikea-01'));
    expect(devicePassword(key, 'bin-nikea-01')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('passwordMatches', () => {
  it('accepts the exact password only', () => {
    const expected = devicePassword('some-device-key-123', 'meter-school-centre');
    expect(passwordMatches(Buffer.from(expected), expected)).toBe(true);
    expect(passwordMatches(expected, expected)).toBe(true);
    expect(passwordMatches(Buffer.from(`${expected}x`), expected)).toBe(false);
    expect(passwordMatches(Buffer.from(expected.slice(0, -1)), expected)).toBe(false);
    expect(
      passwordMatches(Buffer.from(expected.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))), expected),
    ).toBe(false);
    expect(passwordMatches(undefined, expected)).toBe(false);
    expect(passwordMatches(Buffer.alloc(0), expected)).toBe(false);
  });

  it('mints a fresh 256-bit service password each time', () => {
    const a = mintServicePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mintServicePassword()).not.toBe(a);
  });
});
