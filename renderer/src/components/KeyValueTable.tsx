/** Name/value rows with an on/off switch each: headers, query parameters, form fields. */
import { row, type Row } from '../lib/rows.js';

export function KeyValueTable(props: {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  /** Singular noun for labels: "header", "parameter", "field". */
  noun: string;
}) {
  const { rows, onChange, noun } = props;
  const Noun = noun[0]!.toUpperCase() + noun.slice(1);
  const update = (id: number, patch: Partial<Row>) =>
    onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div>
      <table className="kv">
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.id} className={r.enabled ? '' : 'off'}>
              <td className="toggle">
                <input
                  type="checkbox"
                  checked={r.enabled}
                  aria-label={`${Noun} ${i + 1} enabled`}
                  onChange={(e) => update(r.id, { enabled: e.target.checked })}
                />
              </td>
              <td>
                <input
                  type="text"
                  value={r.name}
                  placeholder="name"
                  aria-label={`${Noun} ${i + 1} name`}
                  spellCheck={false}
                  onChange={(e) => update(r.id, { name: e.target.value })}
                />
              </td>
              <td>
                <input
                  type="text"
                  value={r.value}
                  placeholder="value"
                  aria-label={`${Noun} ${i + 1} value`}
                  spellCheck={false}
                  onChange={(e) => update(r.id, { value: e.target.value })}
                />
              </td>
              <td className="remove">
                <button
                  type="button"
                  className="small"
                  aria-label={`Remove ${noun} ${i + 1}`}
                  onClick={() => onChange(rows.filter((x) => x.id !== r.id))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="small" onClick={() => onChange([...rows, row()])}>
        Add {noun}
      </button>
    </div>
  );
}
