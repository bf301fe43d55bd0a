import { describe, expect, it } from "vitest";
import { buildTree, inSubtree, rollUp, subtreeIds, type UnitNode } from "./rollup";

const u = (id: string, parentId: string | null): UnitNode => ({ id, parentId, code: id.toUpperCase() });

// VN ─┬─ g09 ── g09-d1 ── g09-d1-x
//     └─ 01 ─┬─ 00070
//            └─ 00082
const units = [u("00082", "01"), u("g09-d1-x", "g09-d1"), u("vn", null), u("01", "vn"), u("g09", "vn"), u("00070", "01"), u("g09-d1", "g09")];

describe("buildTree", () => {
  it("computes depths and orders every unit before its parent", () => {
    const tree = buildTree(units);
    const depthOf = (id: string) => tree.depth[tree.indexOf(id)];
    expect([depthOf("vn"), depthOf("01"), depthOf("00070"), depthOf("g09-d1"), depthOf("g09-d1-x")]).toEqual([0, 1, 2, 2, 3]);
    const position = new Map(Array.from(tree.bottomUp, (i, pos) => [tree.ids[i]!, pos]));
    for (const unit of units) {
      if (unit.parentId) expect(position.get(unit.id)!).toBeLessThan(position.get(unit.parentId)!);
    }
    expect(tree.childrenOf("01").sort()).toEqual(["00070", "00082"]);
    expect(tree.childrenOf("00070")).toEqual([]);
    expect(subtreeIds(tree, "g09")).toEqual(["g09", "g09-d1", "g09-d1-x"]);
    expect(subtreeIds(tree, "nope")).toEqual([]);
  });

  it("treats a unit whose parent was not loaded as a root (a scoped subtree)", () => {
    const tree = buildTree([u("01", "vn"), u("00070", "01")]);
    expect(tree.parent[tree.indexOf("01")]).toBe(-1);
    expect(tree.depth[tree.indexOf("00070")]).toBe(1);
  });

  it.each([
    ["a cycle", [u("a", "c"), u("b", "a"), u("c", "b")], /cycle: A → C → B → A/],
    ["a self-parent", [u("a", "a")], /cycle: A → A/],
    ["a duplicate id", [u("a", null), u("a", null)], /a \(code A\) appears twice/],
  ])("rejects %s", (_name, bad, message) => {
    expect(() => buildTree(bad)).toThrow(message);
  });
});

describe("rollUp", () => {
  it("gives every unit its subtree total", () => {
    const tree = buildTree(units);
    const totals = rollUp(
      tree,
      [
        ["00070", { population: 10, holders: 4 }],
        ["00082", { population: 5, holders: 5 }],
        ["01", { population: 2 }],
        ["g09-d1-x", { population: 7, holders: 1 }],
        ["vn", { population: 1, holders: 1 }],
      ],
      ["population", "holders"] as const,
    );
    expect(totals.get("00070")).toEqual({ population: 10, holders: 4 });
    expect(totals.get("01")).toEqual({ population: 17, holders: 9 });
    expect(totals.get("g09-d1")).toEqual({ population: 7, holders: 1 });
    expect(totals.get("g09")).toEqual({ population: 7, holders: 1 });
    expect(totals.get("vn")).toEqual({ population: 25, holders: 11 });
  });

  it("refuses counts for a unit that is not in the tree", () => {
    expect(() => rollUp(buildTree(units), [["ghost", { population: 1 }]], ["population"])).toThrow(/ghost/);
  });

  it("matches a naive ancestor walk on a random 40,000-unit tree", () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const n = 40_000;
    const nodes: UnitNode[] = [u("root", null)];
    for (let i = 1; i < n; i++) nodes.push(u(`u${i}`, nodes[Math.floor(rnd() * i)]!.id));
    // Shuffle so that parents do not always precede children.
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [nodes[i], nodes[j]] = [nodes[j]!, nodes[i]!];
    }
    const own = new Map(nodes.map((x) => [x.id, { population: Math.floor(rnd() * 50), holders: Math.floor(rnd() * 10) }]));
    const tree = buildTree(nodes);
    const totals = rollUp(tree, own, ["population", "holders"] as const);

    const parentOf = new Map(nodes.map((x) => [x.id, x.parentId]));
    const naive = new Map<string, number>();
    for (const [id, c] of own) {
      for (let at: string | null = id; at !== null; at = parentOf.get(at) ?? null) naive.set(at, (naive.get(at) ?? 0) + c.population);
    }
    let sum = 0;
    for (const c of own.values()) sum += c.population;
    expect(totals.get("root")!.population).toBe(sum);
    for (const x of nodes.slice(0, 500)) expect(totals.get(x.id)!.population).toBe(naive.get(x.id));
  });
});

describe("inSubtree", () => {
  it.each([
    ["/VN/01/00070/", "/VN/01/", true],
    ["/VN/01/", "/VN/01/", true],
    ["/VN/010/", "/VN/01/", false],
    ["/VN/G09/", "/VN/01/", false],
    ["/VN/01/", "/VN/", true],
  ])("%s in %s → %s", (unit, scope, want) => {
    expect(inSubtree(unit, scope)).toBe(want);
  });
  it("rejects paths without the trailing slash", () => {
    expect(() => inSubtree("/VN/010/", "/VN/01")).toThrow(/end with/);
  });
});
