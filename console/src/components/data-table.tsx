import type { ComponentChildren } from 'preact';

/** A column heading: its words, or words only screen readers hear (a column of buttons). */
export type Column = string | { readonly label: string; readonly hidden: true };

/**
 * A table with a caption and column headings (`<th scope="col">`); the rows are the children (put
 * `<th scope="row">` in the cell that names a row). By default inside a `table-scroll` box that
 * scrolls sideways on narrow screens; `scroll={false}` when the caller already wraps several tables.
 */
export function DataTable(props: {
  readonly class: string;
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly scroll?: boolean;
  readonly children: ComponentChildren;
}) {
  const table = (
    <table class={props.class}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c, i) => (
            <th key={i} scope="col">{typeof c === 'string' ? c : <span class="visually-hidden">{c.label}</span>}</th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
  return props.scroll === false ? table : <div class="table-scroll">{table}</div>;
}
