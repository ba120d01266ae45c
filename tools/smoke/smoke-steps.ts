/** What every part of the smoke test does: run a command, check its output, install tarballs, type-check examples. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { brokenRelativeLinks, folderBytes } from './markdown';

export const repo = path.resolve(__dirname, '..', '..');
export const tsx = path.join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/** A check of the published shape that did not hold. */
export class SmokeFailure extends Error {}

const smokeStarted = Date.now();

/** Seconds since the smoke test started. */
export function elapsedSeconds(): number {
  return (Date.now() - smokeStarted) / 1000;
}

/** Logs the step about to run, with the seconds since the start. */
export function step(title: string): void {
  console.log(`[smoke] ${elapsedSeconds().toFixed(0).padStart(4)} s  ${title}`);
}

/** Runs a command; fails (with its output) unless it exits with `expectCode`. */
export function run(command: string, args: string[], cwd: string, expectCode = 0): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  if (result.status !== expectCode) {
    throw new SmokeFailure(
      `${command} ${args.join(' ')} (in ${cwd}): expected exit code ${expectCode}, found ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

export function expectMatch(text: string, pattern: RegExp, what: string): void {
  if (!pattern.test(text)) throw new SmokeFailure(`${what}: expected output matching ${pattern}, found:\n${text}`);
}

/** The repository's README of `pkg` (what `npm pack` ships). */
export function readme(pkg: string): string {
  return fs.readFileSync(path.join(repo, 'packages', pkg, 'README.md'), 'utf8');
}

/**
 * `npm init` + `npm install` of `tarballs` into the empty folder `project`; fails when its
 * node_modules is larger than `maxMegabytes`. Returns the size in MB (apparent sizes).
 */
export function installInEmptyProject(project: string, tarballs: readonly string[], maxMegabytes: number, what: string): number {
  fs.mkdirSync(project, { recursive: true });
  run('npm', ['init', '-y'], project);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], project);
  const megabytes = folderBytes(path.join(project, 'node_modules')) / 1e6;
  console.log(`[smoke] install size of ${what}: ${megabytes.toFixed(1)} MB (limit ${maxMegabytes} MB)`);
  if (megabytes > maxMegabytes) throw new SmokeFailure(`node_modules of ${what}: expected at most ${maxMegabytes} MB, found ${megabytes.toFixed(1)} MB`);
  return megabytes;
}

/** Fails when a shipped markdown file is missing or links to a file its package does not contain. */
export function checkShippedLinks(files: readonly string[]): void {
  for (const file of files) {
    if (!fs.existsSync(file)) throw new SmokeFailure(`${file}: not in the package`);
    const broken = brokenRelativeLinks(file);
    if (broken.length > 0) throw new SmokeFailure(`${file}: links to files the package does not contain: ${broken.join(', ')}`);
  }
}

/** Writes `examples` (file name → code) into `project` and type-checks them strictly against the installed packages' .d.ts. */
export function typeCheckExamples(project: string, examples: Record<string, string>): void {
  for (const [file, code] of Object.entries(examples)) fs.writeFileSync(path.join(project, file), code);
  const compilerOptions = {
    strict: true,
    target: 'ES2021',
    module: 'commonjs',
    moduleResolution: 'node',
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [path.join(repo, 'node_modules', '@types')], // @types/node, as `npm i -D @types/node` would give
  };
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(examples) }, null, 2));
  run('node', [tsc, '-p', 'tsconfig.json'], project);
}
