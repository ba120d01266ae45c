import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { brokenRelativeLinks, codeBlockAfter, folderBytes } from './markdown';

describe('smoke-test helpers', () => {
  it('takes the ts block after a heading', () => {
    const md = '# x\n```ts\nfirst\n```\n## Example\ntext\n```ts\nconst a = 1;\nmain();\n```\n';
    expect(codeBlockAfter(md, '## Example')).toBe('const a = 1;\nmain();\n');
    expect(() => codeBlockAfter(md, '## Missing', 'README.md')).toThrow("README.md: no '## Missing'");
  });

  it('finds relative links that do not resolve, and sums file sizes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-smoke-'));
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(path.join(dir, 'docs', 'a.md'), '12345');
    fs.writeFileSync(path.join(dir, 'README.md'), '[a](docs/a.md) [b](../../docs/b.md#x) [web](https://example.org) [top](#top)');
    expect(brokenRelativeLinks(path.join(dir, 'README.md'))).toEqual(['../../docs/b.md#x']);
    expect(folderBytes(dir)).toBe(5 + fs.statSync(path.join(dir, 'README.md')).size);
  });
});
