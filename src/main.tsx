import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './store/app-store.ts';
import { defaultTemplate, templateCatalogue, templateLoader } from './store/templates.ts';
import { App } from './ui/App.tsx';
import { preferredLang } from './ui/i18n.ts';
import { AppStoreContext } from './ui/store-context.ts';
import './ui/app.css';

const store = createAppStore({
  lang: preferredLang(navigator.languages?.length ? navigator.languages : [navigator.language]),
  catalogue: templateCatalogue,
  loaderFor: templateLoader,
});

const first = defaultTemplate(templateCatalogue);
if (first) void store.getState().loadTemplate(first.file);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppStoreContext.Provider value={store}>
      <App />
    </AppStoreContext.Provider>
  </StrictMode>,
);
