import * as fs from 'fs';
import { defineConfig } from 'tsup';

/** Repository docs the package ships (its README and the plugin guide link to them as docs/…). */
const SHIPPED_DOCS = ['plugin-guide.md', 'algorithm.md'];

export default defineConfig({
  // `internal` is the documented subpath `@ausam/core/internal`; replica threads start from its CommonJS build.
  entry: ['src/index.ts', 'src/internal.ts'],
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
  async onSuccess() {
    fs.mkdirSync('docs', { recursive: true });
    for (const file of SHIPPED_DOCS) fs.copyFileSync(`../../docs/${file}`, `docs/${file}`);
  },
});
