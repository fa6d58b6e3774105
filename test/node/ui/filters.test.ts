import { describe, expect, it } from 'vitest';
import { exportHref, filtersFromSearch, filtersToQuery } from '../../../src/ui/lib/filters';
import { toCsv } from '../../../src/ui/lib/csv';

describe('filter → query mapping', () => {
  it('drops empty filters, trims values and sorts keys so the same filters give the same URL', () => {
    expect(filtersToQuery({ type: 'parent', q: '  SB0 ', areaId: '', status: '   ' })).toBe('?q=SB0&type=parent');
    expect(filtersToQuery({})).toBe('');
  });

  it('adds paging extras and escapes values', () => {
    expect(filtersToQuery({ actor: 'a&b' }, { limit: 10, cursor: null })).toBe('?actor=a%26b&limit=10');
  });

  it('builds the CSV export link with exactly the list filters', () => {
    expect(exportHref('/api/export/bags.csv', { billed: 'false', areaId: '3', from: '2026-11-01', to: '' })).toBe('/api/export/bags.csv?areaId=3&billed=false&from=2026-11-01');
  });

  it('reads known filters back from a URL and ignores others', () => {
    expect(filtersFromSearch('?type=child&evil=1', ['type', 'status'])).toEqual({ type: 'child', status: '' });
    expect(filtersFromSearch({ status: 'open' }, ['status'])).toEqual({ status: 'open' });
  });
});

describe('report CSV', () => {
  it('quotes commas, quotes and newlines, and defuses formulas', () => {
    const csv = toCsv(
      [
        { label: 'Name', value: (r: { name: string; n: number | null }) => r.name },
        { label: 'N', value: (r) => r.n },
      ],
      [
        { name: 'Lucknow, North', n: 3 },
        { name: 'say "hi"', n: null },
        { name: '=SUM(A1)', n: -2 },
      ],
    );
    expect(csv).toBe('Name,N\r\n"Lucknow, North",3\r\n"say ""hi""",\r\n\'=SUM(A1),-2\r\n');
  });
});
