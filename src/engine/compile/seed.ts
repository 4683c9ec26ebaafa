// Deterministic per-weight seeds: the same project seed gives the same initial weights,
// and renaming or adding one node does not reshuffle every other node's weights.

/** FNV-1a, 32-bit. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const weightSeed = (projectSeed: number, nodeId: string, slot: string): number => hash32(`${projectSeed}|${nodeId}|${slot}`);
