import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * In a child Node started without flags (V8 flags are the whole process's, so not in the test
 * worker): enableRelaxedSimd() gives the runtime Relaxed SIMD, and the native kernels pick their
 * fused build. On Node 20 the runtime lacks it before the call; on Node ≥ 21 it has it already.
 */
describe('enableRelaxedSimd', () => {
  it('turns Relaxed SIMD on before any module is compiled, and the kernels then load their fused build', () => {
    const module = path.join(__dirname, 'build-variant.ts');
    const script = `const m = require(${JSON.stringify(module)}); const before = m.relaxedSimdSupported(); console.log(JSON.stringify([before, m.enableRelaxedSimd(), m.nativeVariant()]));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(child.status).toBe(0);
    const [before, after, variant] = JSON.parse(child.stdout.trim().split('\n').pop()!) as [boolean, boolean, string];
    expect(before).toBe(Number(process.versions.node.split('.')[0]) >= 21);
    expect([after, variant]).toEqual([true, 'relaxed-simd']);
  });
});
