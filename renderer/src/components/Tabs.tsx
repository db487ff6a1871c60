/** WAI-ARIA tabs: arrow keys move between tabs, the panel follows the selected one. */
import { useRef, type ReactNode } from 'react';

export interface TabDef<K extends string> {
  key: K;
  label: ReactNode;
  /** Accessible name when the label carries counts or badges. */
  name?: string;
}

export function Tabs<K extends string>(props: {
  id: string;
  label: string;
  tabs: TabDef<K>[];
  value: K;
  onChange: (k: K) => void;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (delta: number) => {
    const i = props.tabs.findIndex((t) => t.key === props.value);
    const next = props.tabs[(i + delta + props.tabs.length) % props.tabs.length];
    if (!next) return;
    props.onChange(next.key);
    refs.current.get(next.key)?.focus();
  };
  return (
    <div
      className="tabs"
      role="tablist"
      aria-label={props.label}
      onKeyDown={(e) => {
        if (e.key === 'ArrowRight') move(1);
        else if (e.key === 'ArrowLeft') move(-1);
        else return;
        e.preventDefault();
      }}
    >
      {props.tabs.map((t) => (
        <button
          key={t.key}
          ref={(el) => {
            if (el) refs.current.set(t.key, el);
            else refs.current.delete(t.key);
          }}
          type="button"
          role="tab"
          id={`${props.id}-tab-${t.key}`}
          aria-controls={`${props.id}-panel`}
          aria-selected={t.key === props.value}
          aria-label={t.name}
          tabIndex={t.key === props.value ? 0 : -1}
          onClick={() => props.onChange(t.key)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel(props: { id: string; tab: string; children: ReactNode }) {
  return (
    <div
      className="tabpanel"
      role="tabpanel"
      id={`${props.id}-panel`}
      aria-labelledby={`${props.id}-tab-${props.tab}`}
    >
      {props.children}
    </div>
  );
}
