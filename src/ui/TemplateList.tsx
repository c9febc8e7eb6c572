import { useApp, useStrings } from './store-context.ts';

export function TemplateList() {
  const catalogue = useApp((s) => s.catalogue);
  const source = useApp((s) => s.source);
  const loading = useApp((s) => s.loading);
  const loadTemplate = useApp((s) => s.loadTemplate);
  const t = useStrings();
  const current = source?.type === 'template' ? source.file : null;

  return (
    <nav className="sidebar" aria-labelledby="templates-heading">
      <h2 id="templates-heading">{t.templates}</h2>
      {catalogue.length === 0 ? (
        <p>{t.noTemplates}</p>
      ) : (
        <ul className="template-list">
          {catalogue.map((entry) => (
            <li key={entry.file}>
              <button
                type="button"
                className="template"
                aria-current={entry.file === current ? 'true' : undefined}
                aria-busy={entry.file === loading ? 'true' : undefined}
                onClick={() => void loadTemplate(entry.file)}
              >
                <span className="template-name">{entry.name}</span>
                {entry.level && <span className={`badge level-${entry.level}`}>{t.level(entry.level)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
