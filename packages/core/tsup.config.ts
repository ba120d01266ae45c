import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node18',
  // tfjs-core's gradient definitions are ES modules only: bundled so `require('@ausam/core')` works
  // (see src/backend/register-gradients.ts). Everything else of tfjs-core stays external.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
});
