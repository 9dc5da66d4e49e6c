import { readFileSync } from 'node:fs';

/** The parts of a V8 heap snapshot (.heapsnapshot JSON) this reads. */
interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapGrowth {
  /** Self size of the objects that are in `after` and not in `before`, per unit. */
  bytesPerUnit: number;
  /** The same by "type name", largest first. */
  byType: [string, number][];
  /** The same by "type name <-edge- retainer", largest first: who holds the new objects. */
  byRetainer: [string, number][];
}

/**
 * What `units` new things (e.g. subscribed sockets) added to the heap: objects whose ids
 * are in `after` and not in `before` (V8 keeps object ids across snapshots of a process).
 */
export function heapGrowth(beforeFile: string, afterFile: string, units: number): HeapGrowth {
  const before = load(beforeFile);
  const after = load(afterFile);
  const meta = after.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const [type, name, id, selfSize, edgeCount] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number, number];
  const oldIds = new Set<number>();
  for (let i = 0; i < before.nodes.length; i += nodeFields) oldIds.add(before.nodes[i + id]!);
  const { nodes, edges, strings } = after;
  const label = (index: number) => {
    const kind = meta.node_types[0][nodes[index + type]!]!;
    return `${kind} ${kind.includes('string') ? '(string)' : strings[nodes[index + name]!]!.slice(0, 60)}`;
  };
  const retainer = new Map<number, string>();
  for (let node = 0, edge = 0; node < nodes.length; node += nodeFields) {
    for (let k = 0; k < nodes[node + edgeCount]!; k++, edge += edgeFields) {
      const edgeType = meta.edge_types[0][edges[edge]!]!;
      const to = edges[edge + 2]!;
      if (edgeType === 'weak' || retainer.has(to)) continue;
      const edgeName = edgeType === 'element' || edgeType === 'hidden' ? `[${edges[edge + 1]}]` : strings[edges[edge + 1]!];
      retainer.set(to, `<-${edgeName}- ${label(node)}`);
    }
  }
  const byType = new Map<string, number>();
  const byRetainer = new Map<string, number>();
  let total = 0;
  for (let node = 0; node < nodes.length; node += nodeFields) {
    if (oldIds.has(nodes[node + id]!)) continue;
    const size = nodes[node + selfSize]!;
    const key = label(node);
    total += size;
    byType.set(key, (byType.get(key) ?? 0) + size);
    const held = `${key}  ${retainer.get(node) ?? '(root)'}`;
    byRetainer.set(held, (byRetainer.get(held) ?? 0) + size);
  }
  const perUnit = (m: Map<string, number>) => [...m].map(([k, v]) => [k, v / units] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { bytesPerUnit: total / units, byType: perUnit(byType), byRetainer: perUnit(byRetainer) };
}

function load(file: string): HeapSnapshot {
  return JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
}
