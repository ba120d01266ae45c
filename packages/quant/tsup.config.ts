import { defineConfig } from 'tsup';

export default defineConfig({
  // `cli` becomes dist/cli.js, the `ausam-quant` bin (its shebang is kept).
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node18',
});
