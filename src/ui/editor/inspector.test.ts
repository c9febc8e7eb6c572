/**
 * The inspector rendered to HTML against a real store (no browser): it shows what src/graph explains for
 * the selected node, in both languages, for every node of every template, with every control labelled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DesignBuilder, parseDesign, setLocks, type Design, type Lang } from '../../graph/index.ts';
import { lockStrings } from '../lesson/lock-strings.ts';
import { createAppStore, type AppStore } from '../../store/app-store.ts';
import { AppStoreContext } from '../store-context.ts';
import { Inspector } from './Inspector.tsx';

const TEMPLATE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates');

function storeWith(design: Design | null, lang: Lang = 'en'): AppStore {
  const store = createAppStore({ lang, catalogue: [], loaderFor: () => undefined });
  if (design) store.getState().openDesign(design, { type: 'new' });
  return store;
}

function render(store: AppStore): string {
  // Server rendering reads zustand's initial state (React's getServerSnapshot); serve the current one.
  const now: AppStore = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(createElement(AppStoreContext.Provider, { value: now }, createElement(Inspector)));
}

/** Every input and select has a name: aria-label, or a label pointing at its id. */
function unlabelled(html: string): string[] {
  const labelled = new Set([...html.matchAll(/<label[^>]*\bfor="([^"]+)"/g)].map((m) => m[1]));
  return [...html.matchAll(/<(input|select)\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => !/aria-label="[^"]+"/.test(tag) && !labelled.has(/\bid="([^"]+)"/.exec(tag)?.[1] ?? ''));
}

function conv28(): Design {
  const b = new DesignBuilder('issue example');
  const x = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.add('Conv2D', { filters: 8, kernel_size: [5, 5] }, [x], { id: 'conv' });
  return b.build();
}

describe('Inspector', () => {
  it('asks for a design, then for a selection, then for a single node', () => {
    expect(render(storeWith(null))).toContain('Open a template or a file');
    const store = storeWith(conv28());
    expect(render(store)).toContain('Select a layer');
    store.getState().select(['in', 'conv']);
    expect(render(store)).toContain('2 layers are selected');
  });

  it("shows the issue's Conv2D: arithmetic, both weight layouts, the Dense comparison", () => {
    const store = storeWith(conv28());
    store.getState().select(['conv']);
    const html = render(store);
    expect(html).toContain('out = ⌊(28 − 5 + 2·0) / 1⌋ + 1 = 24');
    expect(html).toContain('Height and width');
    expect(html).toContain('[5, 5, 1, 8]');
    expect(html).toContain('[8, 1, 5, 5]');
    expect(html).toContain('24×24×8');
    expect(html).toContain('3,617,280');
    expect(html).toMatch(/This layer has 208, 17,391× fewer/);
    expect(unlabelled(html)).toEqual([]);
    // kernel_size is not the default 3×3: marked, with a reset button that names the default.
    expect(html).toContain('Reset kernel_size to its default, [3, 3]');
  });

  it('offers the one-click fix of a kernel larger than its input', () => {
    const b = new DesignBuilder('too large');
    const x = b.add('Input', { shape: [3, 3, 1] }, [], { id: 'in' });
    b.add('Conv2D', { kernel_size: [5, 5] }, [x], { id: 'conv' });
    const store = storeWith(b.build(), 'es');
    store.getState().select(['conv']);
    const html = render(store);
    expect(html).toContain('out = ⌊(3 − 5 + 2·0) / 1⌋ + 1 = −1');
    expect(html).toContain('Arreglar: usar relleno &quot;same&quot;');
    expect(html).toMatch(/class="param param-ints is-changed has-error"/);
  });

  it('renders every node of every template in English and Spanish with every control labelled', () => {
    const files = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json');
    for (const file of files) {
      const parsed = parseDesign(readFileSync(path.join(TEMPLATE_DIR, file), 'utf8'));
      if (!parsed.ok) throw new Error(file);
      for (const lang of ['en', 'es'] as const) {
        const store = storeWith(parsed.design, lang);
        for (const node of parsed.design.nodes) {
          store.getState().select([node.id]);
          const html = render(store);
          expect(unlabelled(html), `${file} ${node.id}`).toEqual([]);
          expect(html, `${file} ${node.id}`).toContain(lang === 'es' ? 'Formas' : 'Shapes');
        }
      }
    }
  });

  it("disables a lesson's locked parameters and name with the reason, and gives the lock controls to the author only", () => {
    for (const lang of ['en', 'es'] as const) {
      const t = lockStrings(lang);
      const student = storeWith(setLocks(conv28(), [{ node: 'conv', params: ['filters'] }]), lang);
      student.getState().select(['conv']);
      const html = render(student);
      expect(student.getState().lessonRole).toBe('student');
      expect(html).toContain(`<fieldset disabled="" class="param-locked" title="${t.lockedParam('filters')}"`);
      expect(html.match(/class="param-locked"/g)).toHaveLength(1);
      expect(html).toContain(t.lockedNode);
      expect(html).toMatch(new RegExp(`<input[^>]*disabled=""[^>]*title="${t.lockedLabel}"`));
      expect(html).not.toContain('data-testid="lock-section"');
      const author = storeWith(conv28(), lang);
      author.getState().select(['conv']);
      author.getState().setNodeLock('conv', ['filters']);
      const own = render(author);
      expect(own).toContain('data-testid="lock-section"');
      expect(own).toContain(`aria-label="${t.lockParam('filters')}" checked=""`);
      expect(unlabelled(own)).toEqual([]);
    }
  });
});
