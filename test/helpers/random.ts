/**
 * Seeded generators for fuzz and sampling tests, so a failing case replays from its seed. Two
 * algorithms because existing campaigns were seeded with each; keep a campaign on the one it uses
 * so its recorded seeds still name the same cases.
 */

/** mulberry32: uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** xorshift32: uniform in [0, 1); seed 0 is taken as 1 (xorshift has no zero state). */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}
