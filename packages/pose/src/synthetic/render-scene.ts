import sharp from 'sharp';
import type { Rng } from '@ausam/core';
import { MPII_SKELETON } from '../data/skeletons';
import type { StickFigure } from './stick-figure';
import { sampleStickFigure } from './stick-figure';

/** One rendered synthetic image with its single annotated figure. */
export interface SyntheticScene {
  readonly png: Buffer;
  readonly figure: StickFigure;
  /** [16] 1 = visible in the image and not under an occluder. */
  readonly visibility: Float32Array;
}

const deg = Math.PI / 180;

function hsl(hue: number, saturation: number, lightness: number): string {
  return `hsl(${hue.toFixed(0)},${(100 * saturation).toFixed(0)}%,${(100 * lightness).toFixed(0)}%)`;
}

function fmt(v: number): string {
  return v.toFixed(2);
}

/**
 * Renders one square scene of `size` pixels: a flat background with random clutter (rectangles, discs
 * and limb-like sticks), one stick figure (limbs as thick round-capped lines, a torso quad, a head disc
 * with eyes when front-facing or hair when back-facing), optionally 1–2 occluding rectangles, then
 * per-pixel Gaussian noise. Joints outside the image or under an occluder get visibility 0.
 * Everything is drawn from `rng`, so the same stream gives the same bytes.
 */
export async function renderScene(rng: Rng, size: number): Promise<SyntheticScene> {
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const parts: string[] = [];
  const backgroundHue = uniform(0, 360);
  const backgroundLight = uniform(0.2, 0.8);
  parts.push(`<rect width="${size}" height="${size}" fill="${hsl(backgroundHue, uniform(0, 0.5), backgroundLight)}"/>`);
  const clutter = 4 + rng.int(8);
  for (let c = 0; c < clutter; c++) {
    const color = hsl(uniform(0, 360), uniform(0, 0.7), uniform(0.1, 0.9));
    const opacity = fmt(uniform(0.3, 0.9));
    const kind = rng.int(3);
    if (kind === 0) {
      parts.push(
        `<rect x="${fmt(uniform(-0.2, 1) * size)}" y="${fmt(uniform(-0.2, 1) * size)}" width="${fmt(uniform(0.05, 0.4) * size)}" height="${fmt(uniform(0.05, 0.4) * size)}" fill="${color}" fill-opacity="${opacity}" transform="rotate(${fmt(uniform(-45, 45))} ${size / 2} ${size / 2})"/>`,
      );
    } else if (kind === 1) {
      parts.push(`<circle cx="${fmt(uniform(0, 1) * size)}" cy="${fmt(uniform(0, 1) * size)}" r="${fmt(uniform(0.02, 0.15) * size)}" fill="${color}" fill-opacity="${opacity}"/>`);
    } else {
      const x = uniform(0, 1) * size;
      const y = uniform(0, 1) * size;
      const angle = uniform(0, 360) * deg;
      const length = uniform(0.1, 0.3) * size;
      parts.push(
        `<line x1="${fmt(x)}" y1="${fmt(y)}" x2="${fmt(x + Math.cos(angle) * length)}" y2="${fmt(y + Math.sin(angle) * length)}" stroke="${color}" stroke-opacity="${opacity}" stroke-width="${fmt(uniform(0.01, 0.04) * size)}" stroke-linecap="round"/>`,
      );
    }
  }

  const height = uniform(0.5, 0.85) * size;
  const rotation = rng.next() < 0.7 ? rng.normal() * 15 : uniform(-90, 90);
  const center: [number, number] = [size * uniform(0.4, 0.6), size * uniform(0.4, 0.6)];
  const figure = sampleStickFigure(rng, height, center, rotation);
  const j = (index: number) => [figure.joints[2 * index], figure.joints[2 * index + 1]] as const;
  // A figure colour far from the background's lightness keeps it visible.
  const figureLight = backgroundLight > 0.5 ? uniform(0.05, 0.35) : uniform(0.65, 0.95);
  const figureColor = hsl(uniform(0, 360), uniform(0.3, 0.9), figureLight);
  const w = fmt(figure.thickness);
  const torso = [12, 13, 3, 2].map((i) => j(i).map(fmt).join(',')).join(' ');
  parts.push(`<polygon points="${torso}" fill="${figureColor}" stroke="${figureColor}" stroke-width="${w}" stroke-linejoin="round"/>`);
  for (const [a, b] of MPII_SKELETON.limbs) {
    const [x1, y1] = j(a);
    const [x2, y2] = j(b);
    parts.push(`<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" stroke="${figureColor}" stroke-width="${w}" stroke-linecap="round"/>`);
  }
  const [nx, ny] = j(8);
  const [hx, hy] = j(9);
  const headX = (nx + hx) / 2;
  const headY = (ny + hy) / 2;
  const headRadius = figure.headLength / 2;
  parts.push(`<circle cx="${fmt(headX)}" cy="${fmt(headY)}" r="${fmt(headRadius)}" fill="${figureColor}"/>`);
  // Face or hair, oriented along the neck → head-top axis.
  const axis = [(hx - nx) / figure.headLength, (hy - ny) / figure.headLength];
  const side = [-axis[1], axis[0]];
  const featureColor = hsl(0, 0, figureLight > 0.5 ? 0.1 : 0.9);
  if (figure.facing === 'front') {
    for (const s of [-1, 1]) {
      const ex = headX + axis[0] * headRadius * 0.2 + side[0] * s * headRadius * 0.4;
      const ey = headY + axis[1] * headRadius * 0.2 + side[1] * s * headRadius * 0.4;
      parts.push(`<circle cx="${fmt(ex)}" cy="${fmt(ey)}" r="${fmt(headRadius * 0.18)}" fill="${featureColor}"/>`);
    }
  } else {
    const cx = headX + axis[0] * headRadius * 0.35;
    const cy = headY + axis[1] * headRadius * 0.35;
    parts.push(`<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(headRadius * 0.75)}" fill="${featureColor}" fill-opacity="0.8"/>`);
  }

  const visibility = new Float32Array(16);
  for (let k = 0; k < 16; k++) {
    const [x, y] = j(k);
    visibility[k] = x >= 0 && y >= 0 && x <= size - 1 && y <= size - 1 ? 1 : 0;
  }
  const occluders = rng.next() < 0.4 ? 1 + rng.int(2) : 0;
  for (let o = 0; o < occluders; o++) {
    const target = j(rng.int(16));
    const ow = uniform(0.1, 0.3) * size;
    const oh = uniform(0.1, 0.3) * size;
    const ox = target[0] - ow * uniform(0.2, 0.8);
    const oy = target[1] - oh * uniform(0.2, 0.8);
    parts.push(`<rect x="${fmt(ox)}" y="${fmt(oy)}" width="${fmt(ow)}" height="${fmt(oh)}" fill="${hsl(uniform(0, 360), uniform(0, 0.6), uniform(0.2, 0.8))}"/>`);
    for (let k = 0; k < 16; k++) {
      const [x, y] = j(k);
      if (x >= ox && x <= ox + ow && y >= oy && y <= oy + oh) visibility[k] = 0;
    }
  }

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${parts.join('')}</svg>`;
  const { data } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const noise = uniform(2, 10);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(data[i] + noise * rng.normal())));
  const png = await sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
  return { png, figure, visibility };
}
