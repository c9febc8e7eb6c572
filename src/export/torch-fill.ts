/**
 * A layer's PyTorch forward template (TorchMapping in graph/layer-spec.ts) filled with its module
 * attribute, its helpers' attributes and the locals it reads: shared by the flat and the block exporters.
 */
/** For any owner: `name` is the module attribute, `helpers` the helper suffix → attribute. */
export function fillTorchTemplate(
  template: string,
  kind: string,
  name: string,
  helpers: ReadonlyMap<string, string>,
  inputs: readonly string[],
): string {
  return template.replace(/\{(x\d*|xs|m(?:\.[a-z_]+)?)\}/g, (_, key: string) => {
    if (key === 'x') return inputs[0];
    if (key === 'xs') return inputs.join(', ');
    if (key === 'm') return `self.${name}`;
    if (key.startsWith('m.')) {
      const attr = helpers.get(key.slice(2));
      if (!attr) throw new Error(`${kind} mapping names an undeclared helper ${key}`);
      return `self.${attr}`;
    }
    const input = inputs[Number(key.slice(1))];
    if (input === undefined) throw new Error(`${kind} mapping reads input ${key} of ${inputs.length}`);
    return input;
  });
}
