import { useEffect, useState } from 'preact/hooks';
import { Field } from '../../components/filter-bar';
import type { Translate } from '../../i18n';
import type { ManagedBy } from './admin-types';

/**
 * The pieces the Administration page's forms share: a list read once for a form's choices and those
 * choices named "id (name)", a text
 * area and a group of checkboxes with their labels, and the "managed by" cell that names where a
 * config-managed entity is declared.
 */

/**
 * Choices of entities named by id, each labelled "id (name)", and after them each of `kept` (values
 * the edited entity holds) that the list lacks, labelled by its id alone, so a select shows it.
 */
export function namedChoices(items: readonly { readonly id: string; readonly name: string }[], kept: readonly string[] = []): { value: string; label: string }[] {
  const choices = items.map((x) => ({ value: x.id, label: `${x.id} (${x.name})` }));
  for (const value of kept) if (value !== '' && !choices.some((c) => c.value === value)) choices.push({ value, label: value });
  return choices;
}

/** A list the form offers choices from (organizations, trust groups, API roots); [] until it came, or when it could not be read. */
export function useChoices<T>(load: () => Promise<readonly T[]>): readonly T[] {
  const [items, setItems] = useState<readonly T[]>([]);
  useEffect(() => {
    let current = true;
    load().then((list) => { if (current) setItems(list); }, () => { /* the form still works with what is typed */ });
    return () => { current = false; };
  }, []);
  return items;
}

export function TextArea(props: { readonly id: string; readonly label: string; readonly value: string; readonly help?: string; readonly rows?: number; readonly onInput: (value: string) => void }) {
  return (
    <Field id={props.id} label={props.label}>
      <textarea id={props.id} rows={props.rows ?? 3} value={props.value} aria-describedby={props.help === undefined ? undefined : `${props.id}-help`} onInput={(e) => props.onInput(e.currentTarget.value)} />
      {props.help !== undefined && <p id={`${props.id}-help`} class="help">{props.help}</p>}
    </Field>
  );
}

/** A fieldset of checkboxes named by its legend; `disabled` values are shown but cannot be ticked. */
export function CheckboxGroup(props: {
  readonly id: string;
  readonly legend: string;
  readonly options: readonly { readonly value: string; readonly label: string; readonly disabled?: boolean }[];
  readonly checked: readonly string[];
  readonly onChange: (checked: string[]) => void;
}) {
  const toggle = (value: string, on: boolean) => props.onChange(on ? [...props.checked, value] : props.checked.filter((v) => v !== value));
  return (
    <fieldset class="checkbox-group">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value} class="checkbox">
          <input type="checkbox" id={`${props.id}-${o.value}`} checked={props.checked.includes(o.value)} disabled={o.disabled} onChange={(e) => toggle(o.value, e.currentTarget.checked)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function Checkbox(props: { readonly id: string; readonly label: string; readonly checked: boolean; readonly onChange: (checked: boolean) => void }) {
  return (
    <label class="checkbox" for={props.id}>
      <input type="checkbox" id={props.id} checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} /> {props.label}
    </label>
  );
}

/** "config-managed (read-only)" with the file and line that declare it, or "admin API". */
export function ManagedCell({ row, t }: { row: { readonly managed_by: ManagedBy; readonly declared_in?: string | null }; t: Translate }) {
  if (row.managed_by !== 'config') return <span>{t('managedAdmin')}</span>;
  return (
    <span class="managed-config">
      {t('managedConfig')}
      {row.declared_in ? <> {t('declaredIn')} <code class="declared-in">{row.declared_in}</code></> : null}
    </span>
  );
}
