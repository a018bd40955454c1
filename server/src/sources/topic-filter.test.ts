import { describe, expect, it } from 'vitest';
import {
  filterProblem,
  filtersOverlap,
  placeholderLevel,
  subscriptionFilter,
  topicMatches,
} from './topic-filter.js';

describe('source topic filters', () => {
  it('accepts the usual filters and refuses malformed ones', () => {
    expect(filterProblem('v3/+/devices/+/up', false)).toBeUndefined();
    expect(filterProblem('tele/+/SENSOR', false)).toBeUndefined();
    expect(filterProblem('sensors/#', false)).toBeUndefined();
    expect(filterProblem('sensors/{device}/data', true)).toBeUndefined();
    expect(filterProblem('sensors/#/data', false)).toMatch(/last level/);
    expect(filterProblem('sensors/a+/data', false)).toMatch(/whole levels/);
    expect(filterProblem('sensors/{device}/data', false)).toMatch(/only the json format/);
    expect(filterProblem('sensors/x{device}/data', true)).toMatch(/whole level/);
    expect(filterProblem('{device}/{device}', true)).toMatch(/at most one/);
    expect(filterProblem('$SYS/#', false)).toMatch(/reserved/);
  });

  it('matches topics, with {device} as a single level', () => {
    expect(subscriptionFilter('a/{device}/b')).toBe('a/+/b');
    expect(placeholderLevel('a/{device}/b')).toBe(1);
    expect(topicMatches('v3/+/devices/+/up', 'v3/kutaisi@ttn/devices/bin-1/up')).toBe(true);
    expect(topicMatches('v3/+/devices/+/up', 'v3/kutaisi@ttn/devices/bin-1/join')).toBe(false);
    expect(topicMatches('a/{device}/b', 'a/x/b')).toBe(true);
    expect(topicMatches('a/#', 'a')).toBe(true);
    expect(topicMatches('a/+', 'a/b/c')).toBe(false);
  });

  it('tells whether two filters can match the same topic', () => {
    expect(filtersOverlap('kutaisi/v1/#', 'kutaisi/+/waste/x/telemetry')).toBe(true);
    expect(filtersOverlap('kutaisi/v1/#', 'tele/+/SENSOR')).toBe(false);
    expect(filtersOverlap('+/status/+', 'kutaisi/v1/#')).toBe(false);
    expect(filtersOverlap('+/+/#', 'kutaisi/v1/#')).toBe(true);
    expect(filtersOverlap('a/b', 'a/b/c')).toBe(false);
  });
});
