/**
 * The lab tab's name, apart from lab-strings.ts: the tab list is on the first page, the rest of the lab's
 * words load with the lab.
 */
import type { Lang } from '../../graph/types.ts';

export const LAB_TAB: Readonly<Record<Lang, string>> = { en: 'Kernel lab', es: 'Laboratorio de kernels' };
