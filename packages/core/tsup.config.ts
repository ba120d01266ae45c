import * as fs from 'fs';
import { defineConfig } from 'tsup';

/** Repository docs the package ships (its README and the plugin guide link to them as docs/…). */
const SHIPPED_DOCS = ['plugin-guide.md', 'algorithm.md'];

export default defineConfig({
  // `internal` is the documented subpath `@ausam/core/internal` (replica threads start from its CommonJS build);
  // `layers` is the tfjs-layers interop (`@ausam/core/layers`): the main entry never imports tfjs-layers.
  entry: { index: 'src/index.ts', internal: 'src/internal.ts', layers: 'src/layers/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node18',
  // __dirname in the ES-module build: data-parallel replicas start from the CommonJS entry beside it.
  shims: true,
  // tfjs-core's gradient definitions are ES modules only: bundled so `require('@ausam/core')` works
  // (see src/runtime/backend/register-gradients.ts). Everything else of tfjs-core stays external.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  // The layers entry uses core's public API from the main entry (one copy of core's classes at run time).
  external: ['@ausam/core'],
  async onSuccess() {
    fs.mkdirSync('docs', { recursive: true });
    for (const file of SHIPPED_DOCS) fs.copyFileSync(`../../docs/${file}`, `docs/${file}`);
  },
});
