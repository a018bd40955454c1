import { describe, expect, it } from 'vitest';
import { devicePassword } from './device-credentials.js';
import { aclFile, passwordFile, passwordLine, passwordLineMatches } from './mosquitto-auth-files.js';

// Written by Mosquitto 2.0.11's own tool: `mosquitto_passwd -c -b pw bin-1 abc`.
const FROM_MOSQUITTO_PASSWD =
  'bin-1:$7$101$Q42yKkThBvfogQp8$lUp6iz/FvLb8FpByP1T5vxzn2pMoEunXAJkmYX8Tqm6bytzcMnGn6cBR/ZL7DLVpyfLG58RdG9VrD9jxHsF+yg==';

const input = {
  topicRoot: 'kutaisi/v1',
  deviceKey: 'a-device-key-with-enough-characters',
  service: { username: 'kutaisi.server', password: 'service-secret' },
  devices: [
    { id: 'bin-a', domain: 'waste' as const },
    { id: 'meter-b', domain: 'energy' as const },
  ],
};

describe('Mosquitto password lines', () => {
  it('are byte for byte what mosquitto_passwd writes for the same salt', () => {
    const salt = Buffer.from('Q42yKkThBvfogQp8', 'base64');
    expect(passwordLine('bin-1', 'abc', salt)).toBe(FROM_MOSQUITTO_PASSWD);
  });

  it('verify like Mosquitto: the right password only', () => {
    expect(passwordLineMatches(FROM_MOSQUITTO_PASSWD, 'abc')).toBe(true);
    expect(passwordLineMatches(FROM_MOSQUITTO_PASSWD, 'abd')).toBe(false);
    const line = passwordLine('bin-a', 'secret');
    expect(line).toMatch(/^bin-a:\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    expect(passwordLineMatches(line, 'secret')).toBe(true);
    expect(passwordLine('bin-a', 'secret')).not.toBe(line); // a fresh salt each time
  });

  it('refuse user names Mosquitto cannot store', () => {
    expect(() => passwordLine('a:b', 'x')).toThrow(/invalid Mosquitto user name/);
    expect(() => passwordLine('a b', 'x')).toThrow(/invalid Mosquitto user name/);
  });

  it('hold the service identity and every device with its derived password', () => {
    const lines = passwordFile(input).trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['kutaisi.server', 'bin-a', 'meter-b']);
    expect(passwordLineMatches(lines[0]!, 'service-secret')).toBe(true);
    expect(passwordLineMatches(lines[1]!, devicePassword(input.deviceKey, 'bin-a'))).toBe(true);
    expect(passwordLineMatches(lines[2]!, devicePassword(input.deviceKey, 'meter-b'))).toBe(true);
    expect(passwordLineMatches(lines[2]!, devicePassword(input.deviceKey, 'bin-a'))).toBe(false);
  });
});

describe('the Mosquitto ACL file', () => {
  const acl = aclFile(input);
  const block = (user: string) => {
    const start = acl.indexOf(`user ${user}\n`);
    const end = acl.indexOf('\n\n', start);
    return acl
      .slice(start, end === -1 ? undefined : end)
      .trim()
      .split('\n');
  };

  it('lets each device write only its own topics and read only its own subtree', () => {
    expect(block('bin-a')).toEqual([
      'user bin-a',
      'topic read kutaisi/v1/waste/bin-a/#',
      'topic write kutaisi/v1/waste/bin-a/telemetry',
      'topic write kutaisi/v1/waste/bin-a/status',
      'topic write kutaisi/v1/waste/bin-a/event',
    ]);
    expect(block('meter-b')[1]).toBe('topic read kutaisi/v1/energy/meter-b/#');
  });

  it('lets the server read the root (also shared) and write alerts and the cluster exchange', () => {
    expect(block('kutaisi.server')).toEqual([
      'user kutaisi.server',
      'topic read kutaisi/v1/#',
      'topic read $share/+/kutaisi/v1/#',
      'topic write kutaisi/v1/alerts/#',
      'topic write kutaisi/v1/cluster/#',
    ]);
  });

  it('grants nothing before the first user line (anonymous)', () => {
    const beforeFirstUser = acl.slice(0, acl.indexOf('\nuser '));
    expect(
      beforeFirstUser.split('\n').filter((l) => l.startsWith('topic') || l.startsWith('pattern')),
    ).toEqual([]);
  });
});
