import type { ComponentChildren } from 'preact';
import { useT } from '../i18n';
import { componentMessages } from './messages';

/**
 * A row of labelled fields with a submit button at its end: the filters above a list (Indicators,
 * audit trail, campaign candidates) and small query forms (the pivot). The form never reloads the
 * page; `onSubmit` is called instead.
 */
export function FilterBar(props: {
  /** The form's accessible name (a form with a name is a landmark); none for a form under its own heading. */
  readonly label?: string;
  /** Extra class names; the form always has `filters`. */
  readonly class?: string;
  readonly onSubmit: () => void;
  /** The button's words; "Show" by default. */
  readonly submitLabel?: string;
  /** While true the button is disabled. */
  readonly busy?: boolean;
  /** The button in the `primary` look (the form's one action, e.g. the trust map's preview). */
  readonly primary?: boolean;
  /** Leave checking the fields to the page (its own error line) instead of the browser's bubbles. */
  readonly noValidate?: boolean;
  readonly children: ComponentChildren;
}) {
  const t = useT(componentMessages);
  return (
    <form
      class={props.class === undefined ? 'filters' : `filters ${props.class}`}
      aria-label={props.label}
      noValidate={props.noValidate}
      onSubmit={(e) => { e.preventDefault(); props.onSubmit(); }}
    >
      {props.children}
      <div class="field">
        <button type="submit" class={props.primary === true ? 'primary' : undefined} disabled={props.busy === true}>{props.submitLabel ?? t('show')}</button>
      </div>
    </form>
  );
}

/**
 * One labelled field of a FilterBar (or any form laid out in fields): `<label for={id}>` over its
 * control (and whatever follows it, e.g. a help line). `class` adds to `field` (Share's `wide`).
 */
export function Field(props: { readonly id: string; readonly label: string; readonly class?: string; readonly children: ComponentChildren }) {
  return (
    <div class={props.class === undefined ? 'field' : `field ${props.class}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

/**
 * A labelled <select>. `any` puts a first choice with the empty value (its words, or "Any" when
 * `any` is true) for "no filter".
 */
export function SelectField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly choices: readonly Choice[];
  readonly any?: boolean | string;
  readonly onChange: (value: string) => void;
}) {
  const t = useT(componentMessages);
  const any = props.any === true ? t('any') : typeof props.any === 'string' ? props.any : undefined;
  return (
    <Field id={props.id} label={props.label}>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {any !== undefined && <option value="">{any}</option>}
        {props.choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
      </select>
    </Field>
  );
}

/**
 * A labelled text <input>. `invalid` sets aria-invalid, `describedBy` aria-describedby (the ids of
 * its help and error lines); `children` come after the input (those help lines).
 */
export function TextField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly required?: boolean;
  readonly invalid?: boolean;
  readonly describedBy?: string;
  readonly placeholder?: string;
  readonly children?: ComponentChildren;
}) {
  return (
    <Field id={props.id} label={props.label}>
      <input
        id={props.id}
        type="text"
        value={props.value}
        required={props.required}
        placeholder={props.placeholder}
        aria-invalid={props.invalid === true ? true : undefined}
        aria-describedby={props.describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.children}
    </Field>
  );
}
