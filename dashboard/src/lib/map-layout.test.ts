import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { anyOverlap, layoutMap, type LayoutSite } from './map-layout.js';

/** The portfolio's own sites: seven of them within 600 m of each other in the centre of Kutaisi. */
const portfolio = parse(readFileSync('config/portfolio.yaml', 'utf8')) as {
  sites: { id: string; name: { en: string; ka: string }; lat: number; lon: number }[];
};
const sites = (lang: 'en' | 'ka'): LayoutSite[] =>
  portfolio.sites.map((s, i) => ({
    id: s.id,
    name: s.name[lang],
    lat: s.lat,
    lon: s.lon,
    radius: i < 7 ? 13 : 6,
    priority: 7 - i,
  }));
/** A generous width per character (Georgian glyphs are wide). */
const measure = (text: string) => text.length * 7.5;

for (const [lang, width, height] of [
  ['en', 640, 440],
  ['ka', 358, 300],
] as const) {
  describe(`site map layout, ${lang}, ${width}×${height}`, () => {
    const markers = layoutMap(sites(lang), {
      width,
      height,
      measure,
      clusterText: (m) => `${m.length} sites`,
    });
    const labels = markers.flatMap((m) => (m.label ? [m.label] : []));
    const circles = markers.map((m) => ({
      x: m.x - m.radius,
      y: m.y - m.radius,
      w: 2 * m.radius,
      h: 2 * m.radius,
    }));

    it('never overlaps two labels, nor a label and a marker', () => {
      expect(anyOverlap(labels)).toBe(false);
      for (const label of labels) for (const c of circles) expect(anyOverlap([label, c])).toBe(false);
    });

    it('keeps every marker and label inside the drawing, and fits the sites to it', () => {
      for (const m of markers) {
        expect(m.x - m.radius).toBeGreaterThanOrEqual(0);
        expect(m.x + m.radius).toBeLessThanOrEqual(width);
        expect(m.y - m.radius).toBeGreaterThanOrEqual(0);
        expect(m.y + m.radius).toBeLessThanOrEqual(height);
      }
      for (const l of labels) {
        expect(l.x).toBeGreaterThanOrEqual(0);
        expect(l.x + l.w).toBeLessThanOrEqual(width);
      }
      // Fitted: the outermost sites reach the padding on one axis at least.
      const xs = markers.map((m) => m.x);
      const ys = markers.map((m) => m.y);
      const spread = Math.max(
        (Math.max(...xs) - Math.min(...xs)) / width,
        (Math.max(...ys) - Math.min(...ys)) / height,
      );
      expect(spread).toBeGreaterThan(0.6);
    });

    it('shows every site, alone or in a cluster, and no two markers touch', () => {
      expect(markers.flatMap((m) => m.ids).sort()).toEqual(portfolio.sites.map((s) => s.id).sort());
      for (let i = 0; i < markers.length; i++)
        for (let j = i + 1; j < markers.length; j++) {
          const [a, b] = [markers[i], markers[j]];
          if (a && b) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(a.radius + b.radius);
        }
    });

    it('tells close sites apart once zoomed into their cluster', () => {
      const cluster = markers.find((m) => m.ids.length > 1);
      expect(cluster, 'the centre of Kutaisi is a cluster at this size').toBeDefined();
      const zoomed = layoutMap(sites(lang), { width, height, measure, focus: cluster?.ids ?? [] });
      const inView = zoomed.filter((m) => m.ids.some((id) => cluster?.ids.includes(id)));
      // More markers for the same sites than before: the cluster came apart.
      expect(inView.length).toBeGreaterThan(1);
      expect(anyOverlap(zoomed.flatMap((m) => (m.label ? [m.label] : [])))).toBe(false);
    });
  });
}
