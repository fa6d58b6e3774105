// The UI's one list table: a table on wide screens, one card a row on a phone (screens.css `.table-stack`:
// each cell shows its column's name from data-label). Used by every list screen (bills, returns, users,
// sign-ins, History, Bags, audit), so the phone layout and its labels cannot differ between them.
import type { ComponentChildren } from 'preact';

export interface Column<T> {
  label: string;
  /** Numbers: right-aligned on wide screens. */
  numeric?: boolean;
  /** Codes (bill numbers, ticket codes): never wrapped. */
  code?: boolean;
  /** A row's button: the header is for screen readers only, and the phone card shows no label. */
  action?: boolean;
  cell: (row: T) => ComponentChildren;
}

const cellClass = (c: Column<unknown>) => (c.action ? 'cell-action' : c.numeric ? 'num' : c.code ? 'code' : undefined);

export function StackTable<T>({ columns, rows, rowKey, testId }: { columns: Array<Column<T>>; rows: T[]; rowKey: (row: T, index: number) => string | number; testId?: string }) {
  return (
    <div class="table-wrap table-wrap-stack">
      <table class="table-stack" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} class={c.numeric ? 'num' : undefined} scope="col">
                {c.action ? <span class="visually-hidden">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey(row, i)}>
              {columns.map((c) => (
                <td key={c.label} class={cellClass(c as Column<unknown>)} data-label={c.action ? undefined : c.label}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
