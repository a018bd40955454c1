import { describe, expect, it } from 'vitest';
import { LOGIN_WINDOW_MS, LoginThrottle, MAX_FAILURES } from './login-throttle.js';

describe('login throttle', () => {
  it('blocks a name after too many failures until the window has passed; a success clears it', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES - 1; i++) throttle.fail('admin', 1_000 + i);
    expect(throttle.blockedFor('admin', 2_000)).toBe(0);
    throttle.fail('admin', 2_000);
    expect(throttle.blockedFor('admin', 2_000)).toBe(1_000 + LOGIN_WINDOW_MS - 2_000);
    expect(throttle.blockedFor('nino', 2_000)).toBe(0);
    expect(throttle.blockedFor('admin', 1_000 + LOGIN_WINDOW_MS)).toBe(0);

    for (let i = 0; i < MAX_FAILURES - 1; i++) throttle.fail('nino', 5_000);
    throttle.succeed('nino');
    throttle.fail('nino', 5_000);
    expect(throttle.blockedFor('nino', 5_000)).toBe(0);
  });
});
