/** Hands the running autosaver (main.tsx starts it) to the file menu; absent in tests and previews. */
import { createContext, useContext } from 'react';
import type { Autosaver } from '../../store/autosave.ts';

export const AutosaveContext = createContext<Autosaver | null>(null);

export function useAutosaver(): Autosaver | null {
  return useContext(AutosaveContext);
}
