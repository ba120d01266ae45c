/** What a JSON value is, for messages: `an array`, `a string ("abc")`, `null`, `a number (3)`, `an object`. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${value.length} items)`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${String(value)})`;
}

/** True for a JSON object (not null, not an array): the only shape a run config can have. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Where each value set by a command-line flag sits in the config: dotted config path → flag, e.g.
 * `{ 'learningRate.lr': '--lr' }`. Only flags actually given belong here.
 */
export type FlagPaths = Readonly<Record<string, string>>;

/** The value at dotted `key` of `value`, if any. */
export function valueAt(value: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (isJsonObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[part] : undefined), value);
}
