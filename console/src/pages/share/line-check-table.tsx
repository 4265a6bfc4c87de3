import type { FieldProblem } from '../../api';
import { DataTable } from '../../components/data-table';
import type { Translate } from '../../i18n';
import type { CheckAnswer, Warning } from './hub-types';
import type { Item, Line } from './submission-lines';

/** One row per non-blank line: what the hub's check (or its submission) said about it, in the hub's words. */
export interface LineVerdict {
  readonly ok: boolean;
  readonly text: string;
}

export function verdictsOfCheck(t: Translate, lines: readonly Line[], items: readonly Item[], answer: CheckAnswer | undefined): Map<number, LineVerdict[]> {
  const byLine = new Map<number, LineVerdict[]>();
  const lineOfItem = new Map(lines.flatMap((l) => (l.item === undefined ? [] : [[l.item, l.number] as const])));
  for (const line of lines) {
    if (line.item === undefined) byLine.set(line.number, [{ ok: false, text: t('notDetected') }]);
  }
  for (const checked of answer?.indicators ?? []) {
    const number = lineOfItem.get(checked.index);
    if (number === undefined) continue;
    const verdicts: LineVerdict[] = [];
    if (checked.outcome === 'rejected') {
      verdicts.push(...problemsText(checked.problems).map((message) => ({ ok: false, text: t('rejected', { message }) })));
    } else {
      const sent = items[checked.index]?.value;
      const parts = [t('accepted')];
      if (checked.normalised === true && checked.value !== undefined && checked.value !== sent?.trim()) parts.push(t('storedAs', { value: checked.value }));
      if (checked.duplicate_of !== undefined) parts.push(t('repeats', { line: lineOfItem.get(checked.duplicate_of) ?? '?' }));
      verdicts.push({ ok: true, text: parts.join('; ') });
      verdicts.push(...warningsText(t, checked.warnings));
    }
    byLine.set(number, verdicts);
  }
  return byLine;
}

export const problemsText = (problems: readonly FieldProblem[] | undefined): string[] => (problems ?? []).map((p) => p.message);
export const warningsText = (t: Translate, warnings: readonly Warning[] | undefined): LineVerdict[] => (warnings ?? []).map((w) => ({ ok: true, text: t('warning', { reason: w.reason }) }));

export function LineCheckTable({ t, caption, lines, verdicts }: { readonly t: Translate; readonly caption: string; readonly lines: readonly Line[]; readonly verdicts: ReadonlyMap<number, readonly LineVerdict[]> }) {
  return (
    <DataTable class="line-checks" caption={caption} columns={[t('line'), t('value'), t('result')]}>
      {lines.map((line) => (
        <tr key={line.number} class={(verdicts.get(line.number) ?? []).some((v) => !v.ok) ? 'rejected' : undefined}>
          <th scope="row">{line.number}</th>
          <td><code>{line.text}</code></td>
          <td>
            {(verdicts.get(line.number) ?? []).map((v, i) => (
              <div key={i} class={v.ok ? 'verdict ok' : 'verdict bad'}>{v.text}</div>
            ))}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
