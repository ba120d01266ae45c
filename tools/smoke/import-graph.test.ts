import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importCycles, importGraph, importSpecifiers, reachable } from './import-graph';

const packagesDir = path.resolve(__dirname, '..', '..', 'packages');
const relative = (file: string) => path.relative(packagesDir, file);

/** A tiny packages/ tree: `files` maps paths under it to their sources. */
function fixture(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-imports-'));
  for (const [file, source] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
  return dir;
}

describe('import graph helpers', () => {
  it('reads static, type-only, re-export, side-effect and dynamic imports, not those in comments', () => {
    const source = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import type { A } from './a';",
      "export { b } from './b';",
      "import './c';",
      "const d = import('./d');",
      '/** `import { e } from "./e"` in a doc comment */',
      "// import { f } from './f';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['@tensorflow/tfjs-core', './a', './b', './c', './d']);
  });

  it('finds a cycle through a type-only import and across packages, and none in a tree', () => {
    const dir = fixture({
      'one/src/index.ts': "export { a } from './a';",
      'one/src/a.ts': "import type { B } from './deep/b';\nexport const a = 1;",
      'one/src/deep/b.ts': "import { a } from '../a';\nexport type B = number;",
      'one/src/tree.ts': "import { a } from './a';",
      'two/src/index.ts': "import { x } from '@ausam/three';\nexport const y = 1;",
      'three/src/index.ts': "import { y } from '@ausam/two';\nexport const x = 1;",
    });
    const cycles = importCycles(importGraph(dir)).map((cycle) => cycle.map((file) => path.relative(dir, file)));
    expect(cycles).toHaveLength(2);
    expect(cycles).toContainEqual(['one/src/a.ts', 'one/src/deep/b.ts', 'one/src/a.ts']);
    expect(cycles.flat()).toContain('two/src/index.ts');
    expect(cycles.flat()).not.toContain('one/src/tree.ts');
  });
});

describe('packages/ imports', () => {
  const graph = importGraph(packagesDir);

  it('reads every package', () => {
    const packages = new Set(Array.from(graph.keys(), (file) => relative(file).split(path.sep)[0]));
    expect(Array.from(packages).sort()).toEqual(['classification', 'core', 'pose', 'quant']);
  });

  it('has no import cycle', () => {
    const cycles = importCycles(graph).map((cycle) => cycle.map(relative).join(' → '));
    expect(cycles).toEqual([]);
  });

  it("keeps core's algorithm folders (optim, sampling, train, task) clear of the runtime, directly or not", () => {
    const runtime = path.join(packagesDir, 'core', 'src', 'runtime') + path.sep;
    const algorithm = ['optim', 'sampling', 'train', 'task'].map((folder) => path.join(packagesDir, 'core', 'src', folder) + path.sep);
    const crossings: string[] = [];
    for (const file of graph.keys()) {
      if (!algorithm.some((folder) => file.startsWith(folder)) || /\.test\.ts$|test-helpers\.ts$/.test(file)) continue;
      for (const target of reachable(graph, file)) if (target.startsWith(runtime)) crossings.push(`${relative(file)} reaches ${relative(target)}`);
    }
    expect(crossings).toEqual([]);
    expect(Array.from(graph.keys()).filter((file) => algorithm.some((folder) => file.startsWith(folder))).length).toBeGreaterThan(40);
  });
});
