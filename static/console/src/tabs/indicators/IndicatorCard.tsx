import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import type { IndicatorId } from '../../../../../src/contract/measure';
import { bridgeError } from '../../api';
import { Message } from '../../components/Message';
import { indicatorsCsv } from '../measure-api';
import type { DrawnChart } from './charts';
import { cellText, type ChartSpec } from './specs';

export type ChartModule = typeof import('./charts');

/** Saves text as a file through a link (a frame that may not download still shows it to copy). */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

/** One indicator: its headline figure, its chart, the same figures as a table, and its CSV. */
export function IndicatorCard({ id, title, spec, charts }: { id: IndicatorId; title: string; spec: ChartSpec; charts?: ChartModule }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [csv, setCsv] = useState<{ text: string; copied: boolean } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (!charts || !canvas.current) return;
    const drawn: DrawnChart = charts.drawChart(canvas.current, spec);
    return () => drawn.destroy();
  }, [charts, spec]);

  const fetchCsv = async () => {
    const answer = await indicatorsCsv(id).catch(bridgeError);
    if (!answer.ok) {
      setError(answer.error.message);
      return undefined;
    }
    setError(undefined);
    return answer.data;
  };
  const save = async () => {
    const file = await fetchCsv();
    if (!file) return;
    download(file.filename, file.csv);
    setCsv({ text: file.csv, copied: false });
  };
  const copy = async () => {
    const file = await fetchCsv();
    if (!file) return;
    // The host may not let a frame use the clipboard: then the CSV is shown to copy by hand.
    const copied = await navigator.clipboard?.writeText(file.csv).then(() => true, () => false);
    setCsv({ text: file.csv, copied: copied === true });
  };

  const tableId = `table-${id}`;
  return (
    <article className="card" data-testid="indicator" data-indicator={id} aria-labelledby={`title-${id}`}>
      <h3 id={`title-${id}`}>{title}</h3>
      {spec.stat !== undefined && (
        <p className="stat" data-testid="stat">
          {spec.stat}
        </p>
      )}
      <div className="chart">
        <canvas ref={canvas} role="img" aria-label={spec.summary} aria-describedby={tableId} data-testid="chart" />
      </div>
      <p className="subtlest">{spec.summary}</p>
      <details>
        <summary>The figures as a table</summary>
        <table className="grid" id={tableId} data-testid="chart-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{spec.axis}</th>
              {spec.series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {spec.labels.length === 0 ? (
              <tr>
                <td colSpan={spec.series.length + 1} className="subtle">
                  Nothing to show yet.
                </td>
              </tr>
            ) : (
              spec.labels.map((label, row) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {spec.series.map((s) => (
                    <td key={s.label}>{cellText(s.values[row] ?? null, spec.unit)}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </details>
      <div className="actions">
        <Button onClick={() => void save()} testId={`download-${id}`}>
          Download CSV
        </Button>
        <Button appearance="subtle" onClick={() => void copy()} testId={`copy-${id}`}>
          Copy CSV
        </Button>
      </div>
      {error && <Message kind="error">{error}</Message>}
      {csv && (
        <div data-testid={`csv-${id}`}>
          <p className="subtlest" role="status">
            {csv.copied ? 'Copied to the clipboard.' : 'The CSV is below to copy.'}
          </p>
          <label className="visually-hidden" htmlFor={`csv-text-${id}`}>
            {title} as CSV
          </label>
          <textarea id={`csv-text-${id}`} className="exported" readOnly value={csv.text} rows={5} />
        </div>
      )}
    </article>
  );
}
