/**
 * The order and the local names of a generated forward(): pure graph work, no code text.
 *
 * Why: a forward that gives every layer's output its own local keeps every intermediate tensor alive until
 * it returns; for ResNet-50 or DenseNet-121 that is 14–19× the activation memory of torchvision's own model.
 * Code a person writes (`x = self.conv1(x)`) lets each tensor go once its last reader has run. This module
 * plans exactly that:
 *
 * - Order: depth-first from the outputs, each node after its inputs taken in slot order, so a branch is
 *   computed in one stretch (ResNet's main path, then its downsample; Inception's four branches one after
 *   the other) and a join comes right after its last branch. Any such order is topological.
 * - Names: a value takes over the local of an input that dies at this step (its last reader), the
 *   lowest-numbered such local when several die, so a chain reads `x = f(x)`; otherwise the lowest free
 *   local. A dying input whose local is not taken over is released with `del` right after the step, since
 *   the name would otherwise hold the tensor until it is rebound. Values forward() returns never die.
 * - Arguments (the Input nodes) are the caller's tensors: never rebound, never deleted (a `del` would free
 *   nothing), so the first layer writes a fresh local.
 */

export interface ScheduleNode {
  readonly id: string;
  /** The ids of the node's inputs, in slot order (an id may repeat: `Add(x, x)`). */
  readonly inputs: readonly string[];
}

export interface ScheduleRequest {
  /** Every node that is not an argument, in any order; each input must be a node here or an argument. */
  readonly nodes: readonly ScheduleNode[];
  /** forward()'s arguments: node id → its parameter name. */
  readonly args: ReadonlyMap<string, string>;
  /** The values forward() returns, in order (node or argument ids). */
  readonly outputs: readonly string[];
  /** The i-th local name (0, 1, 2…): the caller keeps them valid and distinct from the argument names. */
  readonly local: (i: number) => string;
}

export interface ScheduleStep {
  readonly id: string;
  /** The local the step's value is written to. */
  readonly target: string;
  /** The names the step reads, in slot order (locals or arguments). */
  readonly inputs: readonly string[];
  /** Locals whose tensors died at this step and are not the target: `del` them after it. */
  readonly release: readonly string[];
}

export interface Schedule {
  readonly steps: readonly ScheduleStep[];
  /** The names forward() returns, in order. */
  readonly returns: readonly string[];
}

/** Depth-first post-order from the outputs (iterative: a 1,000-layer chain must not overflow the stack). */
function contiguousOrder(request: ScheduleRequest): string[] {
  const byId = new Map(request.nodes.map((n) => [n.id, n] as const));
  const done = new Set<string>(request.args.keys());
  const order: string[] = [];
  // Nodes no output reaches still run (after the rest), as the flat export ran them.
  const roots = [...request.outputs, ...request.nodes.map((n) => n.id)];
  for (const root of roots) {
    if (done.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    const onStack = new Set([root]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const node = byId.get(top.id);
      if (!node) throw new Error(`schedule: ${top.id} is neither a node nor an argument`);
      if (top.next < node.inputs.length) {
        const input = node.inputs[top.next++];
        if (done.has(input)) continue;
        if (onStack.has(input)) throw new Error(`schedule: a cycle through ${input}`);
        onStack.add(input);
        stack.push({ id: input, next: 0 });
        continue;
      }
      stack.pop();
      onStack.delete(top.id);
      done.add(top.id);
      order.push(top.id);
    }
  }
  return order;
}

export function scheduleForward(request: ScheduleRequest): Schedule {
  const byId = new Map(request.nodes.map((n) => [n.id, n] as const));
  const order = contiguousOrder(request);
  const lastUse = new Map<string, number>();
  order.forEach((id, step) => {
    for (const input of byId.get(id)!.inputs) lastUse.set(input, step);
  });
  for (const id of request.outputs) lastUse.set(id, Infinity);

  // Locals by index; `free` holds the indices of locals that hold nothing alive.
  const free = new Set<number>();
  let made = 0;
  const indexOf = new Map<string, number>(); // value id → local index
  const nameOf = (id: string) => request.args.get(id) ?? request.local(indexOf.get(id)!);
  const takeFree = (): number => {
    if (free.size === 0) return made++;
    const lowest = Math.min(...free);
    free.delete(lowest);
    return lowest;
  };

  const steps: ScheduleStep[] = order.map((id, step) => {
    const node = byId.get(id)!;
    const inputs = node.inputs.map(nameOf);
    const dying = [...new Set(node.inputs)]
      .filter((input) => !request.args.has(input) && (lastUse.get(input) ?? -1) <= step)
      .map((input) => indexOf.get(input)!)
      .sort((a, b) => a - b);
    const target = dying.length > 0 ? dying[0] : takeFree();
    for (const released of dying.slice(1)) free.add(released);
    // A value nothing reads (possible only for nodes no output reaches) dies at once.
    if ((lastUse.get(id) ?? -1) < step) free.add(target);
    indexOf.set(id, target);
    return { id, target: request.local(target), inputs, release: dying.slice(1).map((i) => request.local(i)) };
  });
  return { steps, returns: request.outputs.map(nameOf) };
}
