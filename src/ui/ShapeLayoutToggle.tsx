import { useApp, useStrings } from './store-context.ts';

export function ShapeLayoutToggle() {
  const channelsFirst = useApp((s) => s.channelsFirst);
  const setChannelsFirst = useApp((s) => s.setChannelsFirst);
  const t = useStrings();
  return (
    <fieldset className="segmented">
      <legend>{t.shapeLayout}</legend>
      <label>
        <input type="radio" name="shape-layout" checked={!channelsFirst} onChange={() => setChannelsFirst(false)} />
        <span>{t.channelsLast}</span>
      </label>
      <label>
        <input type="radio" name="shape-layout" checked={channelsFirst} onChange={() => setChannelsFirst(true)} />
        <span>{t.channelsFirst}</span>
      </label>
    </fieldset>
  );
}
