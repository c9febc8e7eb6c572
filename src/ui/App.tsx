import { useEffect } from 'react';
import { DesignView } from './DesignView.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';
import { LoadProblemAlert } from './LoadProblemAlert.tsx';
import { OpenFileButton } from './OpenFileButton.tsx';
import { useApp, useStrings } from './store-context.ts';
import { TemplateList } from './TemplateList.tsx';
import { StopRunDialog } from './train/StopRunDialog.tsx';

export function App() {
  const lang = useApp((s) => s.lang);
  const t = useStrings();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="app-header">
        <div className="brand">
          <h1>NetCanvas</h1>
          <p>{t.tagline}</p>
        </div>
        <div className="toolbar">
          <OpenFileButton />
          <LanguageSelect />
        </div>
      </header>
      <div className="app-body">
        <TemplateList />
        <main id="main" className="content" tabIndex={-1}>
          <LoadProblemAlert />
          <DesignView />
        </main>
      </div>
      <StopRunDialog />
    </div>
  );
}
