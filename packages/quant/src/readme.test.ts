import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const packageRoot = path.join(__dirname, '..');

/** The first ```ts block of the README (the smoke test runs it, as pasted, in an empty project). */
function firstTypeScriptBlock(markdown: string): string {
  const start = markdown.indexOf('```ts\n') + '```ts\n'.length;
  return markdown.slice(start, markdown.indexOf('```\n', start));
}

describe('the README', () => {
  it('opens with examples/qat-fashion-mnist.ts verbatim (one source: type-checked by tsc, shipped in the package)', () => {
    const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
    expect(firstTypeScriptBlock(readme)).toBe(readFileSync(path.join(packageRoot, 'examples', 'qat-fashion-mnist.ts'), 'utf8'));
    const files = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).files;
    expect(files).toEqual(expect.arrayContaining(['configs', 'examples']));
  });
});
