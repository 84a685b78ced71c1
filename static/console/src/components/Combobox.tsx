import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import Textfield from '@atlaskit/textfield';

export interface Option {
  id: string;
  label: string;
  detail?: string;
}

/**
 * A search-as-you-type combobox (WAI-ARIA combobox with a listbox popup): type to search, arrows to
 * move, Enter to choose, Escape to close. `search` is called after a pause in typing.
 */
export function Combobox({
  id,
  search,
  onChoose,
  placeholder,
  minLength = 1,
  describedBy,
  invalid,
  testId,
}: {
  id: string;
  search: (text: string) => Promise<Option[] | string>;
  onChoose: (option: Option) => void;
  placeholder?: string;
  minLength?: number;
  describedBy?: string;
  invalid?: boolean;
  testId?: string;
}) {
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState('');
  const listId = useId();
  const asked = useRef(0);

  useEffect(() => {
    if (text.trim().length < minLength) {
      setOptions([]);
      setOpen(false);
      return;
    }
    const ask = ++asked.current;
    const timer = setTimeout(() => {
      void search(text.trim()).then((found) => {
        if (ask !== asked.current) return; // a newer search is on its way
        if (typeof found === 'string') {
          setOptions([]);
          setStatus(found);
          setOpen(false);
          return;
        }
        setOptions(found);
        setActive(0);
        setOpen(true);
        setStatus(found.length === 0 ? 'No matches.' : `${found.length} ${found.length === 1 ? 'match' : 'matches'}.`);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [text, minLength, search]);

  const choose = (option: Option | undefined) => {
    if (!option) return;
    onChoose(option);
    setText('');
    setOpen(false);
  };
  const keys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && options.length) (event.preventDefault(), setOpen(true), setActive((active + 1) % options.length));
    else if (event.key === 'ArrowUp' && options.length) (event.preventDefault(), setActive((active - 1 + options.length) % options.length));
    else if (event.key === 'Enter' && open) (event.preventDefault(), choose(options[active]));
    else if (event.key === 'Escape') setOpen(false);
  };
  return (
    <div className="combo">
      <Textfield
        id={id}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={keys}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        isInvalid={invalid}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        testId={testId}
      />
      {open && options.length > 0 && (
        <ul role="listbox" id={listId}>
          {options.map((o, i) => (
            <li key={o.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => (e.preventDefault(), choose(o))}>
              {o.label}
              {o.detail && <span className="subtlest"> {o.detail}</span>}
            </li>
          ))}
        </ul>
      )}
      <span className="visually-hidden" role="status">
        {status}
      </span>
    </div>
  );
}
