import sharp from 'sharp';
import { loadMpiiAnnotations } from '../src/data/mpii-json';
import { MPII_SKELETON } from '../src/data/skeletons';
(async () => {
  const dir = process.argv[2];
  const anns = loadMpiiAnnotations(`${dir}/annot/train.json`).concat(loadMpiiAnnotations(`${dir}/annot/valid.json`));
  const tiles: { input: Buffer; left: number; top: number }[] = [];
  const S = 192;
  for (let i = 0; i < Math.min(16, anns.length); i++) {
    const a = anns[i];
    const meta = await sharp(`${dir}/images/${a.image}`).metadata();
    const k = S / meta.width!;
    const parts: string[] = [];
    for (const [p, q] of MPII_SKELETON.limbs) {
      parts.push(`<line x1="${a.joints[2*p]*k}" y1="${a.joints[2*p+1]*k}" x2="${a.joints[2*q]*k}" y2="${a.joints[2*q+1]*k}" stroke="${p===0||p===1||q===1||p===10||p===11||q===11||p===12&&q===11 ? 'red':'lime'}" stroke-width="1"/>`);
    }
    for (let j = 0; j < 16; j++) {
      const right = [0,1,2,10,11,12].includes(j);
      parts.push(`<circle cx="${a.joints[2*j]*k}" cy="${a.joints[2*j+1]*k}" r="3" fill="${a.visibility[j] ? (right ? 'red' : 'cyan') : 'none'}" stroke="yellow" stroke-width="1"/>`);
    }
    const b = a.scale[0]*200*k;
    parts.push(`<rect x="${a.center[0]*k-b/2}" y="${a.center[1]*k-b/2}" width="${b}" height="${b}" fill="none" stroke="white"/>`);
    const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${S}">${parts.join('')}</svg>`);
    const tile = await sharp(`${dir}/images/${a.image}`).resize(S, S, {kernel: 'nearest'}).composite([{ input: svg }]).png().toBuffer();
    tiles.push({ input: tile, left: (i % 4) * S, top: Math.floor(i / 4) * S });
  }
  await sharp({ create: { width: 4 * S, height: 4 * S, channels: 3, background: '#000' } }).composite(tiles).png().toFile(process.argv[3]);
})();
