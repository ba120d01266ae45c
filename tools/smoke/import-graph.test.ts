import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Module file → the module files it imports (relative imports and `@ausam/*` packages resolved). */
type ImportGraph = Map<string, string[]>;

const SPECIFIER = /(?:\bimport|\bexport)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The TypeScript files under `dir` (dist and node_modules left out). */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The import specifiers of a TypeScript source, comments left out (type-only imports count). */
function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return Array.from(code.matchAll(SPECIFIER), (m) => m[1] ?? m[2] ?? m[3]);
}

/**
 * The import graph of every `<packagesDir>/<name>/src`: relative specifiers resolve to `.ts`/`.tsx`
 * files or folder indexes; `@ausam/<name>` to that package's `src/index.ts` and `@ausam/<name>/<sub>`
 * to `src/<sub>.ts`. Other packages (tfjs, node) are left out.
 */
function importGraph(packagesDir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const roots = fs.readdirSync(packagesDir).map((name) => path.join(packagesDir, name, 'src')).filter((src) => fs.existsSync(src));
  for (const file of roots.flatMap(sourceFiles)) {
    const targets = importSpecifiers(fs.readFileSync(file, 'utf8'))
      .map((specifier) => resolve(specifier, file, packagesDir))
      .filter((target): target is string => target !== undefined);
    graph.set(file, Array.from(new Set(targets)));
  }
  return graph;
}

function resolve(specifier: string, from: string, packagesDir: string): string | undefined {
  let base: string;
  if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else {
    const own = /^@ausam\/([a-z-]+)(?:\/(.+))?$/.exec(specifier);
    if (!own) return undefined;
    base = path.join(packagesDir, own[1], 'src', own[2] ?? 'index');
  }
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every import cycle, each as the files along it (first file repeated at the end); one per strongly connected group. */
function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components; a component of more than one file (or a file that
  // imports itself) holds a cycle, reported as one concrete path through it.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(pathWithin(graph, new Set(component), file));
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/** A cycle through `start` that stays inside `component` (breadth-first, so the shortest). */
function pathWithin(graph: ImportGraph, component: Set<string>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of graph.get(file) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const cycle = [start];
        for (let at = file; at !== start; at = previous.get(at)!) cycle.splice(1, 0, at);
        return [...cycle, start];
      }
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** The files `from` reaches through its imports (itself excluded unless on a cycle). */
function reachable(graph: ImportGraph, from: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...(graph.get(from) ?? [])];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...(graph.get(file) ?? []));
  }
  return seen;
}


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
