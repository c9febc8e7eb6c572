/** The words of lesson locks (inspector, canvas, lesson panel and editor) in English and Spanish. Refusals come from src/graph's catalogue. */
import type { Lang } from '../../graph/types.ts';
import { useApp } from '../store-context.ts';

const en = {
  lockHeading: 'Lesson lock',
  lockIntro: 'A locked layer stays in the student’s design: it cannot be deleted, renamed or disconnected.',
  lockLayer: 'Lock this layer',
  lockBlockIntro: 'A locked block stays in the student’s design as it is: it cannot be deleted, unfolded, ungrouped, made unique, repeated, edited or disconnected.',
  lockBlock: 'Lock this block',
  lockedBlock: 'Locked by the lesson: this block cannot be deleted, unfolded, ungrouped, made unique, repeated, edited or disconnected.',
  lockParam: (param: string) => `Lock ${param}`,
  lockAllParams: 'Lock every parameter',
  lockedNode: 'Locked by the lesson: this layer cannot be deleted, renamed or disconnected.',
  lockedParam: (param: string) => `Locked by the lesson: ${param} cannot be changed.`,
  lockedLabel: 'Locked by the lesson: the name stays as it is.',
  lockBadge: 'Locked by the lesson',
  lockedCount: (n: number) => `${n} layer(s) locked by the lesson`,
  preview: 'Preview as student',
  previewing: 'Previewing as a student: the locks hold, and lessons and locks cannot be edited.',
  backToEditing: 'Back to editing',
  editorLocks: 'Locks',
  editorLocksHow: 'Select a layer and tick “Lock this layer” in the inspector; lock its parameters there too. Every Input is what students start from: lock its shape to fix the input.',
  editorNoLocks: 'No layer is locked yet.',
  unlock: (node: string) => `Unlock ${node}`,
  lockedParams: (params: string) => `locked: ${params}`,
  layerOnly: 'the layer only',
  studentLessonTitle: 'This lesson came with its locks: students cannot change the lesson or its locks.',
};

export type LockStrings = typeof en;

const es: LockStrings = {
  lockHeading: 'Bloqueo de la lección',
  lockIntro: 'Una capa bloqueada se queda en el diseño del estudiante: no se puede borrar, renombrar ni desconectar.',
  lockLayer: 'Bloquear esta capa',
  lockBlockIntro: 'Un bloque bloqueado se queda tal cual en el diseño del estudiante: no se puede borrar, desplegar, desagrupar, hacer único, repetir, editar ni desconectar.',
  lockBlock: 'Bloquear este bloque',
  lockedBlock: 'Bloqueado por la lección: este bloque no se puede borrar, desplegar, desagrupar, hacer único, repetir, editar ni desconectar.',
  lockParam: (param) => `Bloquear ${param}`,
  lockAllParams: 'Bloquear todos los parámetros',
  lockedNode: 'Bloqueada por la lección: esta capa no se puede borrar, renombrar ni desconectar.',
  lockedParam: (param) => `Bloqueado por la lección: ${param} no se puede cambiar.`,
  lockedLabel: 'Bloqueada por la lección: el nombre no cambia.',
  lockBadge: 'Bloqueada por la lección',
  lockedCount: (n) => `${n} capa(s) bloqueada(s) por la lección`,
  preview: 'Ver como estudiante',
  previewing: 'Vista de estudiante: los bloqueos se aplican, y la lección y sus bloqueos no se pueden editar.',
  backToEditing: 'Volver a editar',
  editorLocks: 'Bloqueos',
  editorLocksHow: 'Selecciona una capa y marca «Bloquear esta capa» en el inspector; bloquea allí también sus parámetros. Cada Input es el punto de partida del estudiante: bloquea su forma para fijar la entrada.',
  editorNoLocks: 'Aún no hay ninguna capa bloqueada.',
  unlock: (node) => `Desbloquear ${node}`,
  lockedParams: (params) => `bloqueados: ${params}`,
  layerOnly: 'solo la capa',
  studentLessonTitle: 'Esta lección llegó con sus bloqueos: los estudiantes no pueden cambiar la lección ni sus bloqueos.',
};

const TABLE = { en, es } satisfies Readonly<Record<Lang, LockStrings>>;
export const lockStrings = (lang: Lang): LockStrings => TABLE[lang];
export const useLockStrings = (): LockStrings => lockStrings(useApp((s) => s.lang));
