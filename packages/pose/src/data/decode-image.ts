import sharp from 'sharp';
import type { RgbImage } from '../transforms/warp-image';
import { PoseDatasetFormatError } from './errors';

/** Decodes a JPEG/PNG/WebP file to 8-bit sRGB with sharp (alpha dropped, EXIF orientation applied). */
export async function decodeImage(file: string): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, found ${info.channels}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new PoseDatasetFormatError(file, `expected a decodable image: ${(error as Error).message}`);
  }
}
