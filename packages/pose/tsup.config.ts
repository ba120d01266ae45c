import { defineConfig } from 'tsup';

export default defineConfig({
  // `cli` is the ausam-pose bin (its source starts with a #! line, which esbuild keeps).
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node18',
  // __dirname in the ES-module build: data-parallel replicas load the CommonJS entry beside it.
  shims: true,
  external: ['sharp'],
});
