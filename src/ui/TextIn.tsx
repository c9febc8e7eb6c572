/**
 * A text of the document (description, notes, lesson text) in the page's language; when it is written only
 * in another, that one, marked with its language (and `lang` set, so a screen reader pronounces it right).
 */
import { textIn, type Texts } from '../graph/texts.ts';
import { useApp, useStrings } from './store-context.ts';

interface Props {
  readonly texts: Texts | undefined;
  readonly className?: string;
  /** Shown (muted) when no language has text; nothing at all when absent. */
  readonly empty?: string;
}

export function TextIn({ texts, className, empty }: Props) {
  const lang = useApp((s) => s.lang);
  const t = useStrings();
  const shown = textIn(texts, lang);
  if (!shown) return empty === undefined ? null : <p className={`${className ?? ''} muted`.trim()}>{empty}</p>;
  return (
    <p className={className} lang={shown.lang}>
      {shown.text}
      {shown.fallback && (
        <>
          {' '}
          <span className="text-fallback" lang={lang}>
            {t.writtenIn(shown.lang)}
          </span>
        </>
      )}
    </p>
  );
}
