import { isMap, isSeq, type LineCounter, type Node } from 'yaml';

/**
 * Where a path is written in a parsed YAML document: for a key of a map the key itself, for a
 * list item the item; as far down as the path exists (a missing key: its parent's position).
 */
export function yamlPositionOf(
  root: unknown,
  path: readonly PropertyKey[],
  counter: LineCounter,
): { line: number; col: number } | undefined {
  const at = (node: unknown) => {
    const start = (node as Node | undefined)?.range?.[0];
    return start === undefined ? undefined : counter.linePos(start);
  };
  let node: unknown = root;
  let position = at(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => String((p.key as { value?: unknown } | null)?.value) === String(key),
      );
      if (pair === undefined) break;
      position = at(pair.key) ?? position;
      node = pair.value;
      continue;
    }
    if (!isSeq(node)) break;
    node = node.get(key as number, true);
    if (node === undefined) break;
    position = at(node) ?? position;
  }
  return position;
}
