import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { main } from '../../examples/tfjs-model';

const repo = path.join(__dirname, '..', '..', '..', '..');
const example = fs.readFileSync(path.join(repo, 'packages', 'core', 'examples', 'tfjs-model.ts'), 'utf8');

/** The first ```ts block after `heading` in `file`. */
function blockAfter(file: string, heading: string): string {
  const markdown = fs.readFileSync(path.join(repo, file), 'utf8');
  const at = markdown.indexOf(heading);
  if (at < 0) throw new Error(`${file}: no '${heading}'`);
  const start = markdown.indexOf('```ts\n', at) + '```ts\n'.length;
  return markdown.slice(start, markdown.indexOf('\n```', start) + 1);
}

describe('"Your own TF.js model" example', () => {
  it('is shown verbatim in core\'s README and the plugin guide', () => {
    expect(blockAfter('packages/core/README.md', '## Your own TF.js model')).toBe(example);
    expect(blockAfter('docs/plugin-guide.md', '## Your own TF.js model')).toBe(example);
  });

  it('trains the CNN with SAM (compile + fit) and AUSAM (fitWithMethod) to a useful accuracy', async () => {
    await tf.setBackend('cpu');
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    const accuracy = await main();
    log.mockRestore();
    expect(accuracy.sam).toBeGreaterThan(0.8);
    expect(accuracy.ausam).toBeGreaterThan(0.8);
  });
});
