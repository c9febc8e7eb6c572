/** Hands the training store to the training panel's components (narrow selectors, like useApp). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { TrainingState, TrainingStore } from '../../store/training-store.ts';

export const TrainingStoreContext = createContext<TrainingStore | null>(null);

export function useTraining<T>(selector: (state: TrainingState) => T): T {
  const store = useContext(TrainingStoreContext);
  if (!store) throw new Error('useTraining needs a <TrainingStoreContext.Provider> above it');
  return useStore(store, selector);
}

export function useTrainingStore(): TrainingStore {
  const store = useContext(TrainingStoreContext);
  if (!store) throw new Error('useTrainingStore needs a <TrainingStoreContext.Provider> above it');
  return store;
}
