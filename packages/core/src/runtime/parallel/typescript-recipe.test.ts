import * as os from 'node:os';
import * as path from 'node:path';
import { typescriptLoaderFor } from './typescript-recipe';

describe('typescriptLoaderFor', () => {
  it('needs no loader for a JavaScript module', () => {
    expect(typescriptLoaderFor('/somewhere/recipe.js')).toBeUndefined();
  });

  it("finds tsx's register API for a TypeScript module", () => {
    expect(typescriptLoaderFor(path.join(__dirname, 'faulty-recipe.ts'))).toMatch(/tsx[\\/]dist[\\/]cjs[\\/]api[\\/]index\.cjs$/);
  });

  it("falls back to the tsx this process runs under, else says what to do", () => {
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue(os.tmpdir());
    const execArgv = process.execArgv;
    try {
      process.execArgv = ['--require', '/opt/app/node_modules/tsx/dist/preflight.cjs'];
      expect(typescriptLoaderFor('/nowhere/recipe.ts')).toBe(path.join('/opt/app/node_modules/tsx/dist', 'cjs', 'api', 'index.cjs'));
      process.execArgv = [];
      expect(() => typescriptLoaderFor('/nowhere/recipe.ts')).toThrow(
        "replica recipe: module '/nowhere/recipe.ts' is TypeScript and no tsx was found to load it in the replicas",
      );
    } finally {
      process.execArgv = execArgv;
      cwd.mockRestore();
    }
  });
});
