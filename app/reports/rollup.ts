/**
 * Roll per-unit counts (a unit's own people) up the org tree, so every unit gets its subtree total. Built for the
 * national tree (~3,400 reference units plus departments, tens of thousands in all): one pass to compute depths,
 * a counting sort by depth, and one bottom-up pass per key over typed arrays.
 */

export interface UnitNode {
  id: string;
  parentId: string | null;
  code: string;
  /** Materialised ancestry ("/VN/01/00070/"); carried along for callers, not needed for the roll-up. */
  path?: string;
}

export interface UnitTree {
  readonly size: number;
  readonly ids: readonly string[];
  readonly codes: readonly string[];
  /** Index of the parent, -1 for a root (no parent, or a parent outside the given units). */
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  /** Unit indices, deepest first: every unit comes before its parent. */
  readonly bottomUp: Int32Array;
  indexOf(id: string): number;
  childrenOf(id: string): string[];
}

/**
 * Indexes units by id. A unit whose parent is not among `units` is a root, so a scoped load (an officer's
 * subtree) is a valid tree. Duplicate ids and parent cycles throw, naming the units involved.
 */
export function buildTree(units: readonly UnitNode[]): UnitTree {
  const n = units.length;
  const index = new Map<string, number>();
  const ids: string[] = new Array(n);
  const codes: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const u = units[i]!;
    if (index.has(u.id)) throw new Error(`buildTree: unit id ${u.id} (code ${u.code}) appears twice`);
    index.set(u.id, i);
    ids[i] = u.id;
    codes[i] = u.code;
  }
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = units[i]!.parentId;
    parent[i] = p === null ? -1 : (index.get(p) ?? -1);
  }

  const depth = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    if (depth[i] !== -1) continue;
    // Walk up to a unit of known depth, then assign depths on the way back down.
    let j = i;
    while (j !== -1 && depth[j] === -1) {
      depth[j] = -2; // on the current walk
      stack.push(j);
      j = parent[j]!;
      if (j !== -1 && depth[j] === -2) {
        const cycle = [...stack.slice(stack.indexOf(j)), j].map((k) => codes[k]).join(" → ");
        throw new Error(`buildTree: the parent links form a cycle: ${cycle}`);
      }
    }
    let d = j === -1 ? -1 : depth[j]!;
    while (stack.length > 0) {
      const k = stack.pop()!;
      d++;
      depth[k] = d;
      if (d > maxDepth) maxDepth = d;
    }
  }

  // Counting sort by depth, deepest first.
  const perDepth = new Int32Array(maxDepth + 2);
  for (let i = 0; i < n; i++) perDepth[maxDepth - depth[i]! + 1]!++;
  for (let d = 1; d < perDepth.length; d++) perDepth[d]! += perDepth[d - 1]!;
  const bottomUp = new Int32Array(n);
  for (let i = 0; i < n; i++) bottomUp[perDepth[maxDepth - depth[i]!]!++] = i;

  let children: Map<number, number[]> | null = null;
  return {
    size: n,
    ids,
    codes,
    parent,
    depth,
    bottomUp,
    indexOf: (id) => index.get(id) ?? -1,
    childrenOf(id) {
      if (children === null) {
        children = new Map();
        for (let i = 0; i < n; i++) {
          const p = parent[i]!;
          if (p === -1) continue;
          let list = children.get(p);
          if (!list) children.set(p, (list = []));
          list.push(i);
        }
      }
      const i = index.get(id);
      if (i === undefined) return [];
      return (children.get(i) ?? []).map((k) => ids[k]!);
    },
  };
}

export type Counts<K extends string> = Record<K, number>;

/**
 * Subtree totals for every unit of the tree (units with no counts of their own get their descendants' sum, or
 * zeros). `own` maps unit id → the unit's own counts; missing keys count as 0. An id that is not in the tree
 * throws: silently dropping a unit's people would under-report coverage.
 */
export function rollUp<K extends string>(
  tree: UnitTree,
  own: Iterable<readonly [string, Readonly<Partial<Counts<K>>>]>,
  keys: readonly K[],
): Map<string, Counts<K>> {
  const n = tree.size;
  const columns = keys.map(() => new Float64Array(n));
  for (const [id, counts] of own) {
    const i = tree.indexOf(id);
    if (i === -1) throw new Error(`rollUp: counts given for unit ${id}, which is not in the tree`);
    for (let k = 0; k < keys.length; k++) {
      const v = counts[keys[k]!];
      if (v !== undefined) columns[k]![i]! += v;
    }
  }
  const { bottomUp, parent } = tree;
  for (const col of columns) {
    for (let x = 0; x < n; x++) {
      const i = bottomUp[x]!;
      const p = parent[i]!;
      if (p !== -1) col[p]! += col[i]!;
    }
  }
  const out = new Map<string, Counts<K>>();
  for (let i = 0; i < n; i++) {
    const c = {} as Counts<K>;
    for (let k = 0; k < keys.length; k++) c[keys[k]!] = columns[k]![i]!;
    out.set(tree.ids[i]!, c);
  }
  return out;
}

/** Ids of `rootId` and all its descendants (breadth first), or [] when it is not in the tree. */
export function subtreeIds(tree: UnitTree, rootId: string): string[] {
  if (tree.indexOf(rootId) === -1) return [];
  const out = [rootId];
  for (let i = 0; i < out.length; i++) out.push(...tree.childrenOf(out[i]!));
  return out;
}

/** Whether a unit with materialised path `unitPath` lies in the subtree whose root has path `scopePath`. */
export function inSubtree(unitPath: string, scopePath: string): boolean {
  if (!scopePath.endsWith("/") || !unitPath.endsWith("/")) {
    // "/VN/01" would otherwise contain "/VN/010/": paths always end with a slash.
    throw new Error(`inSubtree: paths must end with "/" (got ${unitPath}, ${scopePath})`);
  }
  return unitPath.startsWith(scopePath);
}
