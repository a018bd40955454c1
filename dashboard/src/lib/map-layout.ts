/**
 * The site map's layout, without a tile server: sites projected from their coordinates to fit the
 * drawing, sites too close to tell apart merged into a cluster (tap it to zoom in), and labels placed
 * where they overlap neither another label nor a marker. A label with no free place is left off; the
 * marker still names itself on hover, focus or tap, and the list under the map names every site.
 */

export interface LayoutSite {
  id: string;
  name: string;
  /** A shorter label, tried when the name finds no free place (e.g. without its parenthesis). */
  shortName?: string;
  lat: number;
  lon: number;
  /** Larger markers for sites that matter more (with bins); the radius in px. */
  radius: number;
  /** Placed first, so they keep their labels when space is short (e.g. the fullest bins). */
  priority: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Marker {
  /** The site's id, or the ids of a cluster's sites. */
  ids: string[];
  x: number;
  y: number;
  radius: number;
  /** Where the label goes, or undefined when no free place was found. */
  label: (Box & { text: string; anchor: 'start' | 'middle' | 'end' }) | undefined;
}

export interface LayoutOptions {
  width: number;
  height: number;
  /** Width of a text in px at the label font. */
  measure: (text: string) => number;
  /** Line height of a label in px. */
  lineHeight?: number;
  /** Empty border around the sites, px. */
  padding?: number;
  /** Only these sites decide the view (zoomed in); others may fall outside it. */
  focus?: readonly string[];
  /** Text of a cluster's label, from its sites (e.g. "3 sites"). */
  clusterText?: (sites: readonly LayoutSite[]) => string;
}

/** Equirectangular with cos(latitude): faithful across a city's few kilometres. */
function project(sites: readonly LayoutSite[], fit: readonly LayoutSite[], o: LayoutOptions) {
  const pad = o.padding ?? 28;
  const lats = fit.map((s) => s.lat);
  const lons = fit.map((s) => s.lon);
  const [minLat, maxLat, minLon, maxLon] = [
    Math.min(...lats),
    Math.max(...lats),
    Math.min(...lons),
    Math.max(...lons),
  ];
  const kx = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const spanX = (maxLon - minLon) * kx;
  const spanY = maxLat - minLat;
  const usableW = Math.max(1, o.width - 2 * pad);
  const usableH = Math.max(1, o.height - 2 * pad);
  // One site alone (or all at one point) sits in the middle at any scale.
  const scale = Math.min(spanX > 0 ? usableW / spanX : Infinity, spanY > 0 ? usableH / spanY : Infinity);
  const k = Number.isFinite(scale) ? scale : 1;
  const offX = (o.width - spanX * k) / 2;
  const offY = (o.height - spanY * k) / 2;
  return sites.map((s) => ({ site: s, x: offX + (s.lon - minLon) * kx * k, y: offY + (maxLat - s.lat) * k }));
}

/** Right, left, above, below, then the four diagonals of a marker. */
function candidatePlaces(m: { x: number; y: number; radius: number }, w: number, h: number) {
  const gap = m.radius + 3;
  const d = gap * 0.7;
  const places: [Box, 'start' | 'middle' | 'end'][] = [
    [{ x: m.x + gap, y: m.y - h / 2, w, h }, 'start'],
    [{ x: m.x - gap - w, y: m.y - h / 2, w, h }, 'end'],
    [{ x: m.x - w / 2, y: m.y - gap - h, w, h }, 'middle'],
    [{ x: m.x - w / 2, y: m.y + gap, w, h }, 'middle'],
    [{ x: m.x + d, y: m.y - d - h, w, h }, 'start'],
    [{ x: m.x + d, y: m.y + d, w, h }, 'start'],
    [{ x: m.x - d - w, y: m.y - d - h, w, h }, 'end'],
    [{ x: m.x - d - w, y: m.y + d, w, h }, 'end'],
  ];
  return places;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const circleBox = (x: number, y: number, r: number): Box => ({ x: x - r, y: y - r, w: 2 * r, h: 2 * r });

export function layoutMap(sites: readonly LayoutSite[], o: LayoutOptions): Marker[] {
  if (sites.length === 0) return [];
  const focus = o.focus?.length ? sites.filter((s) => o.focus?.includes(s.id)) : sites;
  const points = project(sites, focus.length ? focus : sites, o);

  // Sites whose markers would touch become one cluster (single linkage).
  const parent = points.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i] as number)));
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i];
      const b = points[j];
      if (a && b && Math.hypot(a.x - b.x, a.y - b.y) < a.site.radius + b.site.radius + 4)
        parent[root(i)] = root(j);
    }
  }
  const groups = new Map<number, typeof points>();
  points.forEach((p, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), p]));

  const markers: (Marker & { priority: number; members: LayoutSite[] })[] = [...groups.values()].map(
    (members) => {
      const x = members.reduce((s, p) => s + p.x, 0) / members.length;
      const y = members.reduce((s, p) => s + p.y, 0) / members.length;
      const single = members.length === 1;
      return {
        ids: members.map((p) => p.site.id),
        x,
        y,
        radius: single ? (members[0]?.site.radius ?? 8) : Math.max(...members.map((p) => p.site.radius)) + 4,
        label: undefined,
        priority: Math.max(...members.map((p) => p.site.priority)) + (single ? 0 : 1000),
        members: members.map((p) => p.site),
      };
    },
  );

  // Labels, most important first, each in the first free place around its marker.
  const lineHeight = o.lineHeight ?? 15;
  const frame: Box = { x: 2, y: 2, w: o.width - 4, h: o.height - 4 };
  const taken: Box[] = markers.map((m) => circleBox(m.x, m.y, m.radius + 1));
  const inside = (b: Box) =>
    b.x >= frame.x && b.y >= frame.y && b.x + b.w <= frame.x + frame.w && b.y + b.h <= frame.y + frame.h;
  for (const m of [...markers].sort((a, b) => b.priority - a.priority)) {
    const single = m.members.length === 1 ? m.members[0] : undefined;
    const texts = single
      ? [single.name, ...(single.shortName && single.shortName !== single.name ? [single.shortName] : [])]
      : [o.clusterText?.(m.members) ?? String(m.members.length)];
    for (const text of texts) {
      const free = candidatePlaces(m, o.measure(text) + 6, lineHeight).find(
        ([box]) => inside(box) && !taken.some((t) => overlaps(t, box)),
      );
      if (free) {
        taken.push(free[0]);
        m.label = { ...free[0], text, anchor: free[1] };
        break;
      }
    }
  }
  return markers.map(({ ids, x, y, radius, label }) => ({ ids, x, y, radius, label }));
}

/** True when any two boxes overlap (for tests and checks). */
export function anyOverlap(boxes: readonly Box[]): boolean {
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i] as Box, boxes[j] as Box)) return true;
  return false;
}
