/**
 * @ausam/pose alone (with core) in an empty project: its README example (synthesized data), and the
 * `ausam-pose` bin: --help, --version, `synthesize`, one epoch of the shipped synthetic config, a
 * refused re-run and a refused re-synthesis.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codeBlockAfter } from './markdown';
import { checkShippedLinks, expectMatch, installInEmptyProject, run, step, tsx, typeCheckExamples } from './smoke-steps';

/** core + pose measured 88.6 MB (apparent size; 94 MB `du -sh`), as much as core + classification: both bring sharp. */
const MAX_POSE_INSTALL_MEGABYTES = 120;

/** Runs the pose checks in `project` (created); `tarball(pkg)` is the packed tarball of `@ausam/<pkg>`. Returns the install size in MB. */
export function smokePose(project: string, tarball: (pkg: string) => string): number {
  step('npm init + npm install of the core and pose tarballs into an empty project');
  const megabytes = installInEmptyProject(project, [tarball('core'), tarball('pose')], MAX_POSE_INSTALL_MEGABYTES, '@ausam/core + @ausam/pose');
  const installed = path.join(project, 'node_modules', '@ausam', 'pose');
  checkShippedLinks([path.join(installed, 'README.md')]);

  step('type-check and run the pose README example (writes 160 synthetic figures, 2 epochs of AUSAM)');
  const shippedReadme = fs.readFileSync(path.join(installed, 'README.md'), 'utf8');
  typeCheckExamples(project, { 'first-run.ts': codeBlockAfter(shippedReadme, '## First run', '@ausam/pose README.md') });
  expectMatch(run('node', [tsx, 'first-run.ts'], project).stdout, /^valid PCKh@0\.5 \d+\.\d\d \(mean-pose baseline \d+\.\d\d\)$/m, 'first-run.ts');

  step('the ausam-pose bin: --help, --version, synthesize, one epoch of configs/synthetic-cpu.json, refused re-runs');
  const bin = path.join(project, 'node_modules', '.bin', 'ausam-pose');
  expectMatch(run(bin, ['--help'], project).stdout, /^usage:\n {2}ausam-pose train[^]*ausam-pose synthesize --out DIR/, 'ausam-pose --help');
  expectMatch(run(bin, ['synthesize', '--help'], project).stdout, /^usage: ausam-pose synthesize --out <dir>[^]*--overwrite/, 'ausam-pose synthesize --help');
  expectMatch(run(bin, ['--version'], project).stdout, /^0\.1\.0\n$/, 'ausam-pose --version');
  // The README's first run, as a user types it (npx finds the project's bin; --no: never download).
  const npx = (args: string[], expectCode = 0) => run('npx', ['--no', 'ausam-pose', ...args], project, expectCode);
  const synthesize = ['synthesize', '--out', 'data', '--people', '40'];
  const synthesized = npx(synthesize);
  expectMatch(synthesized.stdout, /^wrote 40 train \+ 4 valid people \(128 px, seed 0\) to data/, 'ausam-pose synthesize');
  expectMatch(synthesized.stderr, /synthesize: 44\/44 images/, 'ausam-pose synthesize (progress on stderr)');
  expectMatch(npx(synthesize, 1).stderr, /--out data: expected an empty or new folder.*--overwrite/, 'ausam-pose synthesize (again)');
  const train = ['train', '--config', 'node_modules/@ausam/pose/configs/synthetic-cpu.json', '--data', 'data', '--epochs', '1'];
  const trained = npx(train);
  expectMatch(trained.stdout, /"valid": \{[^}]*"pckh": \d+(\.\d+)?,/, 'ausam-pose train (final metrics)');
  expectMatch(trained.stderr, /40 train \/ 4 valid people/, 'ausam-pose train (stderr)');
  expectMatch(npx(train, 1).stderr, /already holds a run .*--resume.*--overwrite/s, 'ausam-pose train (again)');
  return megabytes;
}
