import * as path from 'node:path';

const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * For a recipe module written in TypeScript, tsx's CommonJS register API (`tsx/cjs/api`), which the
 * replica registers before loading it: found beside the module, in the working directory, or as the
 * tsx this process runs under (`tsx script.ts` puts its files in `process.execArgv`). Undefined for
 * a JavaScript module. Throws when the module is TypeScript and no tsx is found.
 */
export function typescriptLoaderFor(module: string): string | undefined {
  if (!TYPESCRIPT.test(module)) return undefined;
  try {
    return require.resolve('tsx/cjs/api', { paths: [path.dirname(module), process.cwd()] });
  } catch {
    for (const arg of process.execArgv) {
      const match = /^(?:file:\/\/)?(.*[\\/]tsx[\\/]dist)[\\/](?:preflight\.cjs|loader\.mjs)$/.exec(arg);
      if (match) return path.join(match[1], 'cjs', 'api', 'index.cjs');
    }
  }
  throw new Error(
    `replica recipe: module '${module}' is TypeScript and no tsx was found to load it in the replicas: install tsx, run under tsx, or point the recipe at compiled JavaScript`,
  );
}

/** Registers tsx in this thread unless `.ts` files already load (our own sources under tsx/jest). */
export function registerTypescript(loader: string | undefined): void {
  if (loader === undefined || require.extensions['.ts'] !== undefined) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(loader) as { register(): void }).register();
}
