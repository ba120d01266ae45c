/**
 * @ausam/quant alone (with core and classification, its dependencies) in an empty project: its README
 * example on Debian's Fashion-MNIST, and the `ausam-quant` bin: --help, --version, one epoch of the
 * shipped W4A4 config (2,000 training images) and a refused re-run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codeBlockAfter } from './markdown';
import { checkShippedLinks, expectMatch, installInEmptyProject, run, step, tsx, typeCheckExamples } from './smoke-steps';

/** core + classification + quant measured 89.5 MB (apparent size). */
const MAX_QUANT_INSTALL_MEGABYTES = 120;

/**
 * Runs the quant checks in `project` (created); `tarball(pkg)` is the packed tarball of `@ausam/<pkg>`.
 * `@ausam/classification` is installed from its tarball too: quant depends on it, and it is not on
 * the registry. Returns the install size in MB.
 */
export function smokeQuant(project: string, tarball: (pkg: string) => string): number {
  step('npm init + npm install of the core, classification and quant tarballs into an empty project');
  const tarballs = [tarball('core'), tarball('classification'), tarball('quant')];
  const megabytes = installInEmptyProject(project, tarballs, MAX_QUANT_INSTALL_MEGABYTES, '@ausam/core + @ausam/classification + @ausam/quant');
  const installed = path.join(project, 'node_modules', '@ausam', 'quant');
  checkShippedLinks([path.join(installed, 'README.md')]);

  step('type-check and run the quant README example (Fashion-MNIST, 1,024 images: 2 epochs full precision, 2 epochs W4A4 AUSAM)');
  const shippedReadme = fs.readFileSync(path.join(installed, 'README.md'), 'utf8');
  typeCheckExamples(project, { 'qat-fashion-mnist.ts': codeBlockAfter(shippedReadme, '## First run', '@ausam/quant README.md') });
  const example = run('node', [tsx, 'qat-fashion-mnist.ts'], project).stdout;
  expectMatch(example, /^W4A4 \(AUSAM\): +test accuracy \d+\.\d%$/m, 'qat-fashion-mnist.ts');
  expectMatch(example, /^≤ 16 values per output channel: true$/m, 'qat-fashion-mnist.ts');

  step('the ausam-quant bin: --help, --version, one epoch of configs/fashion-mnist-resnet-small-w4a4.json, a refused re-run');
  const bin = path.join(project, 'node_modules', '.bin', 'ausam-quant');
  expectMatch(run(bin, ['--help'], project).stdout, /^usage: ausam-quant train --config[^]*--overwrite/, 'ausam-quant --help');
  expectMatch(run(bin, ['--version'], project).stdout, /^0\.1\.0\n$/, 'ausam-quant --version');
  const train = ['train', '--config', 'node_modules/@ausam/quant/configs/fashion-mnist-resnet-small-w4a4.json', '--epochs', '1'];
  // The README's command, as a user types it (npx finds the project's bin; --no: never download).
  const npx = (args: string[], expectCode = 0) => run('npx', ['--no', 'ausam-quant', ...args], project, expectCode);
  expectMatch(npx(train).stdout, /W4A4 sam test accuracy \d+\.\d\d%/, 'ausam-quant train');
  expectMatch(npx(train, 1).stderr, /already holds a run .*--resume.*--overwrite/s, 'ausam-quant train (again)');
  return megabytes;
}
