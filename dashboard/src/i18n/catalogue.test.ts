import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { ka } from './ka.js';

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('have the same keys in Georgian and English', () => {
    expect(Object.keys(ka).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty message and the same parameters in both languages', () => {
    for (const [key, text] of Object.entries(en)) {
      const georgian = (ka as Record<string, string>)[key] ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(georgian.trim(), key).not.toBe('');
      expect(params(georgian), key).toEqual(params(text));
    }
  });

  it('really translate: Georgian messages use Georgian script unless they are units or symbols', () => {
    const untranslated = Object.entries(ka).filter(
      ([key, text]) => text === en[key as keyof typeof en] && !/^(unit|metric\.counts)/.test(key),
    );
    expect(untranslated).toEqual([]);
  });
});
