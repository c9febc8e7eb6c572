import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './store/app-store.ts';
import { idbStorage, memoryStorage, startAutosave } from './store/autosave.ts';
import { bootDesign, openLink } from './store/boot.ts';
import { defaultTemplate, templateCatalogue, templateLoader } from './store/templates.ts';
import { webSettings } from './store/run-settings.ts';
import { createTrainingStore } from './store/training-store.ts';
import { TrainingClient } from './train/client.ts';
import { App } from './ui/App.tsx';
import { AutosaveContext } from './ui/files/autosave-context.ts';
import { FileDropOverlay } from './ui/files/FileDropOverlay.tsx';
import { preferredLang } from './ui/i18n.ts';
import { AppStoreContext } from './ui/store-context.ts';
import { TrainingStoreContext } from './ui/train/training-context.ts';
import { guardUnload } from './ui/train/unload-guard.ts';
import './ui/app.css';

const store = createAppStore({
  lang: preferredLang(navigator.languages?.length ? navigator.languages : [navigator.language]),
  catalogue: templateCatalogue,
  loaderFor: templateLoader,
});

// The worker (and tfjs with it) starts on the first training request, not with the page.
const trainingClient = new TrainingClient();
// Settings outlive a reload (localStorage); the active-run marker is per tab (sessionStorage).
const training = createTrainingStore(trainingClient, store, {
  settings: webSettings(localStorage),
  session: webSettings(sessionStorage),
  // Auto's measuring after a run happens in a worker of its own, started for it and ended after it.
  measurer: () => new TrainingClient(),
});
guardUnload(window, training);

// Every change is written to IndexedDB within a second; without IndexedDB, for this session only.
const autosave = startAutosave(store, typeof indexedDB === 'undefined' ? memoryStorage() : idbStorage(), 500, { events: window });

// A handle for the end-to-end tests and the training benchmark (they drive and observe the stores).
(globalThis as { __netcanvas?: unknown }).__netcanvas = { store, training, trainingClient, autosave };

// First a design link (#design=…), else the design open last, else the default template. The link leaves
// the address bar once read, so a reload restores the autosave (with the edits since) and not the link.
const clearHash = () => history.replaceState(history.state, '', location.pathname + location.search);
void bootDesign(store, {
  hash: location.hash,
  autosaver: autosave,
  defaultTemplate: defaultTemplate(templateCatalogue)?.file,
  clearHash,
});
// A link pasted into the address bar of an open page changes only the fragment: no reload, so open it here.
window.addEventListener('hashchange', () => void openLink(store, location.hash, clearHash));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppStoreContext.Provider value={store}>
      <TrainingStoreContext.Provider value={training}>
        <AutosaveContext.Provider value={autosave}>
          <App />
          <FileDropOverlay />
        </AutosaveContext.Provider>
      </TrainingStoreContext.Provider>
    </AppStoreContext.Provider>
  </StrictMode>,
);
