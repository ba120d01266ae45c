import * as fs from 'fs';
import * as path from 'path';

/** The first ```ts block after the first line of `markdown` containing `heading` (e.g. `## Example`). */
export function codeBlockAfter(markdown: string, heading: string, source = 'markdown'): string {
  const at = markdown.indexOf(heading);
  if (at < 0) throw new Error(`${source}: no '${heading}'`);
  const open = markdown.indexOf('```ts\n', at);
  if (open < 0) throw new Error(`${source}: no \`\`\`ts block after '${heading}'`);
  const start = open + '```ts\n'.length;
  const end = markdown.indexOf('\n```', start);
  return markdown.slice(start, end + 1);
}

/** Relative link targets of `file` (markdown `[text](target)`) that do not exist beside it. */
export function brokenRelativeLinks(file: string): string[] {
  const markdown = fs.readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1].split('#')[0];
    if (target === '' || /^[a-z]+:/i.test(target)) continue;
    if (!fs.existsSync(path.resolve(path.dirname(file), target))) broken.push(match[1]);
  }
  return broken;
}

/** Bytes of the files under `dir` (apparent sizes; symlinks counted as links, not followed). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else total += fs.lstatSync(full).size;
  }
  return total;
}
