/** The page's building blocks: a section with its heading and help, and a labelled field with its help and its refusal. */
import type { ReactNode } from 'react';
import { Stack, Text } from '@atlaskit/primitives/compiled';

/** The save's (or the check's) refusal beside the field whose path starts with the one given. */
export type ErrorAt = (field: string) => ReactNode;

export function Section({ id, title, help, children }: { id: string; title: string; help?: ReactNode; children: ReactNode }) {
  return (
    <section id={id} className="settings-section" aria-labelledby={`${id}-heading`} data-testid={`section-${id}`}>
      <Stack space="space.150">
        <Stack space="space.050">
          <h2 id={`${id}-heading`} className="ds-heading-small">
            {title}
          </h2>
          {help && (
            <Text as="p" color="color.text.subtlest">
              {help}
            </Text>
          )}
        </Stack>
        {children}
      </Stack>
    </section>
  );
}

/** One control: its label, a short help line (the control points at it), and the refusal that names it. */
export function Field({ id, field, label, help, errorAt, children }: { id: string; field: string; label: string; help: ReactNode; errorAt: ErrorAt; children: ReactNode }) {
  return (
    <div data-field={field}>
      <label className="ds-label" htmlFor={id}>
        {label}
      </label>
      <div className="ds-subtle field-help" id={`${id}-help`}>
        {help}
      </div>
      {children}
      {errorAt(field)}
    </div>
  );
}

export function FieldError({ text }: { text: string }) {
  return <div className="ds-field-error">{text}</div>;
}
