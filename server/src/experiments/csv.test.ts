import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.js';

describe('csv writer', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('ცენტრი')).toBe('ცენტრი');
  });

  it('writes numbers, blanks for null and non-finite, and guards formulas', () => {
    expect(csvField(0.25)).toBe('0.25');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x,y'],
          [null, true],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n,true\r\n');
  });
});
