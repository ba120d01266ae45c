import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A CIFAR-10 binary-version folder (`data_batch_1.bin … data_batch_5.bin`, `test_batch.bin`, as
 * `loadCifar10` reads it) of at least `trainImages` training and `testImages` test records whose
 * bytes come from an LCG seeded with 1 (label bytes modulo 10): synthetic, for throughput only, as a
 * step's speed does not depend on pixel values. Written once under `root` and reused (the same sizes
 * give the same bytes). Returns its path.
 */
export function syntheticCifar10(trainImages: number, testImages: number, root = os.tmpdir()): string {
  const perFile = Math.ceil(trainImages / 5);
  const dir = path.join(root, `ausam-cifar10-synthetic-${perFile}x5-${testImages}`);
  if (fs.existsSync(dir)) return dir;
  let seed = 1;
  const records = (count: number) => {
    const bytes = new Uint8Array(count * 3073);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24;
    for (let r = 0; r < count; r++) bytes[r * 3073] %= 10;
    return bytes;
  };
  const partial = fs.mkdtempSync(`${dir}-partial-`);
  for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(partial, `data_batch_${i}.bin`), records(perFile));
  fs.writeFileSync(path.join(partial, 'test_batch.bin'), records(testImages));
  fs.renameSync(partial, dir);
  return dir;
}
