import { describe, expect, it } from 'vitest';
import { Membership, encodePresence } from './membership.js';

const presence = (id: string, nonce = 'n') => Buffer.from(encodePresence({ id, nonce, since: 1 }));
const cleared = Buffer.alloc(0);

describe('Membership', () => {
  it('elects the smallest present id and re-elects when the leader leaves', () => {
    const m = new Membership({ id: 'node-b', nonce: 'me', since: 1 });
    expect(m.isLeader).toBe(true);
    expect(m.onPresence('node-c', presence('node-c'), true)).toBe('changed');
    expect(m.onPresence('node-a', presence('node-a'), false)).toBe('changed');
    expect(m.leader).toBe('node-a');
    expect(m.isLeader).toBe(false);
    expect(m.peers).toEqual(['node-a', 'node-c']);
    expect(m.onPresence('node-a', presence('node-a'), false)).toBe('unchanged');
    // node-a's last will (or its clean exit) clears its retained presence.
    expect(m.onPresence('node-a', cleared, false)).toBe('changed');
    expect(m.isLeader).toBe(true);
    m.reset();
    expect(m.ids).toEqual(['node-b']);
  });

  it('ignores what is not a presence, and a presence under another id', () => {
    const m = new Membership({ id: 'b', nonce: 'me', since: 1 });
    expect(m.onPresence('a', Buffer.from('{"oops":'), false)).toBe('unchanged');
    expect(m.onPresence('a', presence('z'), false)).toBe('unchanged');
    expect(m.ids).toEqual(['b']);
  });

  it('tells a leftover of its own from a second live instance with the same id', () => {
    const m = new Membership({ id: 'b', nonce: 'me', since: 1 });
    expect(m.onPresence('b', presence('b', 'me'), true)).toBe('unchanged');
    expect(m.onPresence('b', presence('b', 'old'), true)).toBe('republish');
    expect(m.onPresence('b', cleared, false)).toBe('republish');
    expect(m.onPresence('b', presence('b', 'other'), false)).toBe('duplicate');
  });
});
