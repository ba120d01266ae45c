import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';

const repo = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** Every workspace folder of the root package.json (globs `dir/*` expanded). */
function workspaceFolders(): string[] {
  const { workspaces } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { workspaces: string[] };
  return workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? fs.readdirSync(path.join(repo, pattern.slice(0, -2))).map((name) => path.join(repo, pattern.slice(0, -2), name))
      : [path.join(repo, pattern)],
  ).filter((dir) => fs.existsSync(path.join(dir, 'package.json')));
}

async function listTests(cwd: string, command: string, args: string[]): Promise<string[]> {
  const { stdout } = await run(command, args, { cwd, maxBuffer: 16 << 20 });
  return stdout.split('\n').filter((line) => line.endsWith('.test.ts')).sort();
}

describe("each workspace's test target (what `nx run <project>:test` runs)", () => {
  it('finds its own tests, and together they are the whole suite `npm test` runs', async () => {
    const folders = workspaceFolders();
    expect(folders.map((dir) => path.relative(repo, dir))).toEqual(expect.arrayContaining(['packages/core', 'packages/classification', 'tools/bench', 'tools/smoke']));
    const perWorkspace = await Promise.all(
      folders.map(async (dir) => {
        const scripts = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts ?? {};
        expect({ workspace: path.relative(repo, dir), hasTestScript: typeof scripts.test === 'string' }).toEqual({ workspace: path.relative(repo, dir), hasTestScript: true });
        const tests = await listTests(dir, 'npm', ['run', '--silent', 'test', '--', '--listTests']);
        return { dir, tests };
      }),
    );
    for (const { dir, tests } of perWorkspace) {
      expect({ workspace: path.relative(repo, dir), found: tests.length > 0 }).toEqual({ workspace: path.relative(repo, dir), found: true });
      for (const file of tests) expect(file.startsWith(dir + path.sep)).toBe(true);
    }
    const whole = await listTests(repo, process.execPath, [path.join(repo, 'node_modules', 'jest', 'bin', 'jest.js'), '--listTests']);
    expect(perWorkspace.flatMap((w) => w.tests).sort()).toEqual(whole);
  }, 120000);
});
