/**
 * `npm run teams:icons`: draw the two Teams app icons into teams/ (committed;
 * run again only to change the design). A speech bubble with three dots:
 *  - color.png, 192x192: a white bubble on the accent colour, full bleed;
 *  - outline.png, 32x32: the bubble as a white outline on a transparent background.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodePng, type Image } from './lib/png';
import { ACCENT_COLOR, TEAMS_DIR } from './lib/teamsPackage';

type Rgb = [number, number, number];
/** What covers a point (x, y in 0..1): a colour, or nothing. */
type Paint = (x: number, y: number) => { rgb: Rgb; alpha: number } | null;

const WHITE: Rgb = [255, 255, 255];
const accent = hex(ACCENT_COLOR);

interface Bubble {
  cx: number;
  cy: number;
  halfW: number;
  halfH: number;
  radius: number;
  /** The tail, a triangle under the bubble's left side. */
  tail: Array<[number, number]>;
  dotR: number;
  dotGap: number;
}

/** Signed distance to the bubble's rounded rectangle (negative inside). */
function roundedRect(b: Bubble, x: number, y: number): number {
  const qx = Math.abs(x - b.cx) - (b.halfW - b.radius);
  const qy = Math.abs(y - b.cy) - (b.halfH - b.radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - b.radius;
}

function inTriangle([a, b, c]: Array<[number, number]>, x: number, y: number): boolean {
  const side = (p: [number, number], q: [number, number]) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a!, b!);
  const d2 = side(b!, c!);
  const d3 = side(c!, a!);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

function inDot(b: Bubble, x: number, y: number): boolean {
  return [-1, 0, 1].some((i) => Math.hypot(x - (b.cx + i * b.dotGap), y - b.cy) <= b.dotR);
}

/** Draw with 4x4 supersampling, so edges are smooth at 32 pixels too. */
function draw(size: number, background: Rgb | null, paint: Paint): Image {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const hit = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          const rgb = hit?.rgb ?? background;
          const alpha = hit ? hit.alpha : background ? 1 : 0;
          if (!rgb || !alpha) continue;
          r += rgb[0] * alpha;
          g += rgb[1] * alpha;
          b += rgb[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      // Un-premultiplied: the colour of what covers the pixel, its share as alpha.
      rgba[i] = a ? Math.round(r / a) : 0;
      rgba[i + 1] = a ? Math.round(g / a) : 0;
      rgba[i + 2] = a ? Math.round(b / a) : 0;
      rgba[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return { width: size, height: size, rgba };
}

export function colorIcon(): Image {
  const b: Bubble = { cx: 0.5, cy: 0.44, halfW: 0.3, halfH: 0.22, radius: 0.09, tail: [[0.3, 0.6], [0.44, 0.6], [0.27, 0.78]], dotR: 0.045, dotGap: 0.14 };
  return draw(192, accent, (x, y) => {
    if (inDot(b, x, y)) return { rgb: accent, alpha: 1 };
    if (roundedRect(b, x, y) <= 0 || inTriangle(b.tail, x, y)) return { rgb: WHITE, alpha: 1 };
    return null;
  });
}

export function outlineIcon(): Image {
  const b: Bubble = { cx: 0.5, cy: 0.42, halfW: 0.42, halfH: 0.3, radius: 0.13, tail: [[0.22, 0.66], [0.42, 0.66], [0.16, 0.92]], dotR: 0.06, dotGap: 0.2 };
  const stroke = 2 / 32;
  return draw(32, null, (x, y) => {
    const d = roundedRect(b, x, y);
    const ring = d <= 0 && d > -stroke;
    const tail = inTriangle(b.tail, x, y) && d > -stroke;
    return ring || tail || inDot(b, x, y) ? { rgb: WHITE, alpha: 1 } : null;
  });
}

function hex(color: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`not a #rrggbb colour: ${color}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

if (require.main === module) {
  writeFileSync(path.join(TEAMS_DIR, 'color.png'), encodePng(colorIcon()));
  writeFileSync(path.join(TEAMS_DIR, 'outline.png'), encodePng(outlineIcon()));
  console.log(`✓ wrote ${path.join(TEAMS_DIR, 'color.png')} and outline.png`);
}
