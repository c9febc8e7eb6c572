import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './store/app-store.ts';
import { defaultTemplate, templateCatalogue, templateLoader } from './store/templates.ts';
import { createTrainingStore } from './store/training-store.ts';
import { TrainingClient } from './train/client.ts';
import { App } from './ui/App.tsx';
import { preferredLang } from './ui/i18n.ts';
import { AppStoreContext } from './ui/store-context.ts';
import { TrainingStoreContext } from './ui/train/training-context.ts';
import './ui/app.css';

const store = createAppStore({
  lang: preferredLang(navigator.languages?.length ? navigator.languages : [navigator.language]),
  catalogue: templateCatalogue,
  loaderFor: templateLoader,
});

// The worker (and tfjs with it) starts on the first training request, not with the page.
const trainingClient = new TrainingClient();
const training = createTrainingStore(trainingClient, store);

// A handle for the end-to-end tests and the training benchmark (they drive and observe the stores).
(globalThis as { __netcanvas?: unknown }).__netcanvas = { store, training, trainingClient };

const first = defaultTemplate(templateCatalogue);
if (first) void store.getState().loadTemplate(first.file);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppStoreContext.Provider value={store}>
      <TrainingStoreContext.Provider value={training}>
        <App />
      </TrainingStoreContext.Provider>
    </AppStoreContext.Provider>
  </StrictMode>,
);
