/**
 * The published shape, end to end: `npm pack` every package, then install each task package alone
 * (with core, and what it depends on) from the tarballs into its own empty `npm init` project, and
 * in each check the install size, the shipped docs' links, type-check and run the README examples
 * against the shipped types, and run the package's bin (--help, --version, a few training steps, a
 * refused re-run). Core + classification also run core's README and plugin-guide examples. Needs
 * `npm run build` first and the npm registry (or a warm npm cache) for the packages' dependencies.
 * `npm run smoke`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { codeBlockAfter } from './markdown';
import { smokePose } from './pose-smoke';
import { smokeQuant } from './quant-smoke';
import {
  SmokeFailure, checkShippedLinks, elapsedSeconds, expectMatch, installInEmptyProject, readme, repo, run, step, tsx, typeCheckExamples,
} from './smoke-steps';

const PACKAGES = ['core', 'classification', 'pose', 'quant'];
/** Issue 15: core + classification pulled 333 MB with the @tensorflow/tfjs umbrella. */
const MAX_INSTALL_MEGABYTES = 120;
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

function main(): void {
  for (const pkg of PACKAGES) {
    const dist = path.join(repo, 'packages', pkg, 'dist', 'index.js');
    if (!fs.existsSync(dist)) throw new SmokeFailure(`${dist} is missing: run 'npm run build' first`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-smoke-'));
  const tarballs = path.join(work, 'tarballs');
  const project = path.join(work, 'project');
  fs.mkdirSync(tarballs);

  step(`npm pack ${PACKAGES.map((p) => `@ausam/${p}`).join(', ')}`);
  run('npm', ['pack', '--silent', '--pack-destination', tarballs, ...PACKAGES.map((p) => `./packages/${p}`)], repo);
  const tarball = (pkg: string) => path.join(tarballs, `ausam-${pkg}-0.1.0.tgz`);
  for (const pkg of PACKAGES) if (!fs.existsSync(tarball(pkg))) throw new SmokeFailure(`npm pack wrote no ${tarball(pkg)}`);

  step('npm init + npm install of the core and classification tarballs into an empty project');
  const installSizes: Record<string, number> = {};
  installSizes['core + classification'] = installInEmptyProject(
    project, [tarball('core'), tarball('classification')], MAX_INSTALL_MEGABYTES, '@ausam/core + @ausam/classification',
  );

  step('npm install @tensorflow/tfjs-layers, the optional peer of @ausam/core/layers ("Your own TF.js model")');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '@tensorflow/tfjs-layers@4.22.0'], project);

  step('links of the shipped READMEs and plugin guide');
  const installed = (pkg: string, ...rest: string[]) => path.join(project, 'node_modules', '@ausam', pkg, ...rest);
  checkShippedLinks([installed('core', 'README.md'), installed('core', 'docs', 'plugin-guide.md'), installed('classification', 'README.md')]);

  step('type-check the README and plugin-guide examples against the shipped .d.ts');
  const guide = fs.readFileSync(installed('core', 'docs', 'plugin-guide.md'), 'utf8');
  typeCheckExamples(project, {
    'two-moons.ts': codeBlockAfter(readme('core'), '## Example', 'packages/core/README.md'),
    'fashion-mnist.ts': codeBlockAfter(readme('classification'), '## Library', 'packages/classification/README.md'),
    'tfjs-model.ts': codeBlockAfter(readme('core'), '## Your own TF.js model', 'packages/core/README.md'),
    'tabular-task.ts': codeBlockAfter(guide, '`tabular-task.ts`', 'plugin-guide.md'),
    'train-tabular.ts': codeBlockAfter(guide, '`train-tabular.ts`', 'plugin-guide.md'),
    'train-tabular-replicas.ts': codeBlockAfter(guide, '`train-tabular-replicas.ts`', 'plugin-guide.md'),
  });

  step('run the core README example (two moons, AUSAM)');
  expectMatch(run('node', [tsx, 'two-moons.ts'], project).stdout, /^test accuracy 0\.\d+, [\d.]+ of SAM's passes$/m, 'two-moons.ts');
  step('run the "Your own TF.js model" example (a tf.sequential CNN: SAM through compile + fit, AUSAM through fitWithMethod)');
  expectMatch(run('node', [tsx, 'tfjs-model.ts'], project).stdout, /^sam: test accuracy 0\.\d+; ausam: test accuracy 0\.\d+$/m, 'tfjs-model.ts');
  step("run the plugin guide's tabular task");
  expectMatch(run('node', [tsx, 'train-tabular.ts'], project).stdout, /^tabular: test accuracy \d+\.\d%/m, 'train-tabular.ts');
  step("run the plugin guide's tabular task with 2 data-parallel replicas (a TypeScript recipe, loaded through tsx)");
  expectMatch(run('node', [tsx, 'train-tabular-replicas.ts'], project).stdout, /^tabular, 2 replicas: test accuracy \d+\.\d%/m, 'train-tabular-replicas.ts');
  if (!fs.existsSync(FASHION_MNIST)) throw new SmokeFailure(`${FASHION_MNIST} is missing: 'npm run setup' installs Debian's dataset-fashion-mnist`);
  step('run the classification README example (Fashion-MNIST, 2,000 images, 2 epochs)');
  expectMatch(run('node', [tsx, 'fashion-mnist.ts'], project).stdout, /^test accuracy 0\.\d+, \d+ images\/s$/m, 'fashion-mnist.ts');

  step('the ausam-classify bin: --help, --version, a few training steps, a refused re-run');
  const bin = path.join(project, 'node_modules', '.bin', 'ausam-classify');
  expectMatch(run(bin, ['--help'], project).stdout, /^usage:\n {2}ausam-classify train/, 'ausam-classify --help');
  expectMatch(run(bin, ['train', '--help'], project).stdout, /--overwrite/, 'ausam-classify train --help');
  expectMatch(run(bin, ['--version'], project).stdout, /^0\.1\.0\n$/, 'ausam-classify --version');
  const config = installed('classification', 'configs', 'fashion-mnist-demo.json');
  const train = ['train', '--config', config, '--train-limit', '256', '--test-limit', '256', '--epochs', '1', '--batch-size', '64', '--output', 'runs/smoke', '--no-progress'];
  expectMatch(run(bin, train, project).stdout, /test accuracy \d+\.\d\d%/, 'ausam-classify train');
  expectMatch(run(bin, train, project, 1).stderr, /already holds a run .*--resume.*--overwrite/s, 'ausam-classify train (again)');
  step('the ausam-classify bin: export the run as a TF.js LayersModel and as safetensors');
  expectMatch(run(bin, ['export', '--run', 'runs/smoke', '--format', 'tfjs'], project).stdout, /export-tfjs\n$/, 'ausam-classify export --format tfjs');
  expectMatch(run(bin, ['export', '--run', 'runs/smoke', '--format', 'safetensors'], project).stdout, /model\.safetensors\n$/, 'ausam-classify export --format safetensors');
  step('the ausam-classify bin with 2 data-parallel replicas (worker threads load the installed package)');
  const replicated = run(bin, [...train.slice(0, -2), 'runs/smoke-replicas', '--replicas', '2', '--no-progress'], project);
  expectMatch(replicated.stderr, /data-parallel: 2 replicas, 32 images each per batch/, 'ausam-classify train --replicas 2 (stderr)');
  expectMatch(replicated.stdout, /test accuracy \d+\.\d\d%/, 'ausam-classify train --replicas 2');

  installSizes['core + pose'] = smokePose(path.join(work, 'project-pose'), tarball);
  installSizes['core + classification + quant'] = smokeQuant(path.join(work, 'project-quant'), tarball);

  fs.rmSync(work, { recursive: true, force: true });
  const sizes = Object.entries(installSizes).map(([what, megabytes]) => `${what} ${megabytes.toFixed(1)} MB`).join(', ');
  console.log(`[smoke] all checks passed in ${elapsedSeconds().toFixed(0)} s; install sizes: ${sizes}`);
}

try {
  main();
} catch (error) {
  console.error(`[smoke] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
