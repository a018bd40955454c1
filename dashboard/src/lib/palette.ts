/**
 * Okabe–Ito colours: distinguishable with every common colour-vision deficiency. Fill levels
 * also carry a text label and a shape, so colour is never the only cue.
 */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export const FILL_COLOURS = { low: '#56B4E9', mid: '#E69F00', high: '#D55E00', none: '#9A9A9A' } as const;

export function fillLevel(fill: number | null | undefined): keyof typeof FILL_COLOURS {
  if (fill === null || fill === undefined) return 'none';
  if (fill >= 0.8) return 'high';
  if (fill >= 0.5) return 'mid';
  return 'low';
}
