/** Hands the store to components; they read it through narrow selectors with `useApp`. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../store/app-store.ts';
import { strings, type Strings } from './i18n.ts';

export const AppStoreContext = createContext<AppStore | null>(null);

export function useApp<T>(selector: (state: AppState) => T): T {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useApp needs an <AppStoreContext.Provider> above it');
  return useStore(store, selector);
}

/** The page's strings in the current language. */
export function useStrings(): Strings {
  return strings(useApp((s) => s.lang));
}

/** The store itself, for event handlers that read the latest state without subscribing (shortcuts). */
export function useAppStore(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppStore needs an <AppStoreContext.Provider> above it');
  return store;
}
