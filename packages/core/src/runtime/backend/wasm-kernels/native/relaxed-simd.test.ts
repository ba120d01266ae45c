import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * The native kernels' tests (against float64 definitions and, through the wasm kernels, against
 * the cpu backend), run again in a child Node with Relaxed SIMD switched on, where the kernels load
 * their fused multiply-add build; native-module.test.ts asserts, in the child, that this build loaded.
 */
const files = [
  'native/native-module.test.ts',
  'native/native-filter-gradient.test.ts',
  'native/native-input-gradient.test.ts',
  'native/native-conv-forward.test.ts',
  'conv2d-backprop-filter.test.ts',
  'conv2d-backprop-input.test.ts',
  'conv2d.test.ts',
].map((file) => path.join(__dirname, '..', file));

describe('native kernels with Relaxed SIMD', () => {
  it('pass their tests with the fused multiply-add build', () => {
    const root = path.resolve(__dirname, '../../../../../../..');
    const major = Number(process.versions.node.split('.')[0]);
    const flags = major >= 21 ? [] : [RELAXED_SIMD_FLAG];
    const child = spawnSync(process.execPath, [...flags, require.resolve('jest/bin/jest'), '--config', path.join(root, 'jest.config.js'), '--runInBand', '--verbose', ...files], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const report = `${child.stdout}\n${child.stderr}`;
    expect({ status: child.status, report }).toEqual({ status: 0, report: expect.stringMatching(/Test Suites: 7 passed, 7 total/) });
    expect(report).toMatch(/loads the Relaxed SIMD build exactly where the runtime has Relaxed SIMD/);
  }, 300_000);
});
