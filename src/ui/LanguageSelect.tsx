import type { Lang } from '../graph/types.ts';
import { LANGS } from './i18n.ts';
import { useApp, useStrings } from './store-context.ts';

export function LanguageSelect() {
  const lang = useApp((s) => s.lang);
  const setLang = useApp((s) => s.setLang);
  const t = useStrings();
  return (
    <label className="field">
      <span>{t.language}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l.lang} value={l.lang} lang={l.lang}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
