/** No imports: the sort worker bundles only this. */
/** The symbol list's display order (group, then name) as positions into `display` and `group`. */
export function sortOrder(display: readonly string[], group: Uint8Array): Int32Array {
  const order = new Int32Array(display.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const g = group[a]! - group[b]!;
    if (g !== 0) return g;
    const x = display[a]!;
    const y = display[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  return order;
}
