import type { ChangeEvent } from 'react';
import { Field } from './Field';

/** A labelled native select: the select package is not installed, and a native one is keyboard- and screen-reader-friendly. */
export function Select<T extends string>({ id, label, value, options, onChange }: { id: string; label: string; value: T; options: ReadonlyArray<{ value: T; label: string }>; onChange: (value: T) => void }) {
  return (
    <Field id={id} label={label}>
      <select id={id} value={value} onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
