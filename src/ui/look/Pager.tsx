import { useLookStrings } from './look-strings.ts';

/** Previous / Next over pages of a view (filters, feature maps), with what the page shows between them. */
export function Pager({ page, pages, text, testId, onPage }: { page: number; pages: number; text: string; testId: string; onPage: (page: number) => void }) {
  const t = useLookStrings();
  return (
    <div className="look-pager">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t.previous}
      </button>
      <span data-testid={testId}>{text}</span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)} data-testid={`${testId}-next`}>
        {t.next}
      </button>
    </div>
  );
}
