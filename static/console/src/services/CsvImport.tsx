import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import Button from '@atlaskit/button/new';
import TextArea from '@atlaskit/textarea';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import { CSV_UPLOAD_LIMITS, type CsvImportAnswer, type CsvIssue, type CsvPreview } from '../../../../src/contract/console';
import { bridgeError, importCsv, previewCsv } from '../api';
import { Field } from '../components/Field';
import { plural } from '../components/format';
import { Lozenge } from '../components/Lozenge';
import { Message } from '../components/Message';

const COLUMNS = 'name, tier, rto, rpo, owner, depends_on, jsm_services, components, labels, status';

/** Import a catalogue CSV: preview every row (bad rows with line and reason), then write the good ones. */
export default function CsvImport({ onDone }: { onDone: (changed?: string) => void }) {
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | undefined>();
  const [preview, setPreview] = useState<CsvPreview | undefined>();
  const [result, setResult] = useState<CsvImportAnswer | undefined>();
  const [progress, setProgress] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > CSV_UPLOAD_LIMITS.characters * 4) return setError('The file is too large: split it into smaller files.');
    setFileName(file.name);
    setCsv(await file.text());
    setPreview(undefined);
    setResult(undefined);
  };

  const check = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    const answer = await previewCsv({ csv }).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setError(answer.error.message);
    setPreview(answer.data);
  };

  // Imports in as many calls as the file needs: each call writes what fits its time and says whether it is done.
  const run = async () => {
    setBusy(true);
    setError(undefined);
    const written: CsvImportAnswer['written'] = [];
    let last: CsvImportAnswer | undefined;
    for (let call = 0; call < 50; call += 1) {
      const answer = await importCsv({ csv }).catch(bridgeError);
      if (!answer.ok) {
        setError(answer.error.message);
        break;
      }
      written.push(...answer.data.written);
      last = { ...answer.data, written };
      setProgress(`${plural(written.length, 'row')} written…`);
      if (answer.data.done || answer.data.failure || answer.data.written.length === 0) break;
    }
    setBusy(false);
    setProgress(undefined);
    if (last) setResult(last);
  };

  const toWrite = preview?.rows.filter((r) => r.action !== 'unchanged').length ?? 0;
  return (
    <Stack space="space.200">
      <div>
        <Button appearance="subtle" onClick={() => onDone(result?.written.length ? `Imported ${plural(result.written.length, 'service')}.` : undefined)} testId="back-to-list">
          Back to services
        </Button>
      </div>
      <h2 ref={heading} tabIndex={-1}>
        Import services from CSV
      </h2>
      <p className="subtle">
        The first row names the columns: {COLUMNS} (name and tier are required). Lists are separated by “;”. A row whose name is already in the catalogue updates that service; a column left out leaves that field as it is. Nothing is written until you
        import, and rows with problems are skipped.
      </p>
      <Field id="csv-file" label="CSV file">
        <input id="csv-file" type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e)} data-testid="csv-file" />
      </Field>
      <Field id="csv-text" label={fileName ? `Contents of ${fileName}` : 'Or paste the CSV'}>
        <TextArea id="csv-text" value={csv} onChange={(e) => (setCsv(e.currentTarget.value), setPreview(undefined), setResult(undefined))} minimumRows={6} resize="vertical" isMonospaced testId="csv-text" />
      </Field>
      <Inline space="space.100">
        <Button appearance="primary" onClick={() => void check()} isDisabled={csv.trim() === '' || busy} isLoading={busy && !preview} testId="preview-csv">
          Preview
        </Button>
        {preview && !result && (
          <Button appearance="primary" onClick={() => void run()} isDisabled={toWrite === 0 || busy} isLoading={busy} testId="run-import">
            {toWrite === 0 ? 'Nothing to import' : `Import ${plural(toWrite, 'service')}`}
          </Button>
        )}
      </Inline>
      {progress && <p role="status">{progress}</p>}
      {error && (
        <Message kind="error" testId="csv-error">
          {error}
        </Message>
      )}
      {result && <ImportResult result={result} />}
      {preview && !result && <PreviewTables preview={preview} />}
    </Stack>
  );
}

function ImportResult({ result }: { result: CsvImportAnswer }) {
  return (
    <Stack space="space.100">
      <Message kind={result.failure ? 'error' : result.done ? 'success' : 'warning'} testId="import-result">
        {plural(result.written.length, 'service')} written
        {result.unchanged.length ? `, ${result.unchanged.length} already as the file has them` : ''}
        {result.errors.length ? `, ${plural(result.errors.length, 'row')} skipped for problems` : ''}.
        {result.failure && ` ${result.failure.message} Not written: ${result.notWritten.map((r) => `line ${r.line} (${r.name})`).join(', ')}. Run the import again to finish: rows already written are left as they are.`}
        {!result.failure && !result.done && ` ${plural(result.notWritten.length, 'row')} still to write: run the import again.`}
      </Message>
      {result.errors.length > 0 && <IssueTable title="Rows skipped" issues={result.errors} testId="import-errors" />}
    </Stack>
  );
}

function PreviewTables({ preview }: { preview: CsvPreview }) {
  const counts = (action: string) => preview.rows.filter((r) => r.action === action).length;
  return (
    <Stack space="space.200">
      <p data-testid="preview-summary">
        {plural(counts('create'), 'new service')}, {plural(counts('update'), 'update')}, {counts('unchanged')} unchanged, {plural(preview.errors.length, 'problem')}.
      </p>
      {preview.errors.length > 0 && <IssueTable title="Problems (these rows will be skipped)" issues={preview.errors} testId="preview-errors" />}
      {preview.warnings.length > 0 && (
        <Message kind="warning" title="Warnings:">
          <ul>
            {preview.warnings.map((w, i) => (
              <li key={i}>
                Line {w.line}: {w.reason}
              </li>
            ))}
          </ul>
        </Message>
      )}
      {preview.rows.length > 0 && (
        <table className="grid" data-testid="preview-rows">
          <caption>Rows to import</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Service</th>
              <th scope="col">What happens</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                <th scope="row">{r.name}</th>
                <td>
                  <Lozenge appearance={r.action === 'create' ? 'new' : r.action === 'update' ? 'inprogress' : 'default'}>{r.action === 'create' ? 'New' : r.action === 'update' ? 'Update' : 'Unchanged'}</Lozenge>
                  {r.changes.length > 0 && <span className="subtle"> {r.changes.join(', ')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}

function IssueTable({ title, issues, testId }: { title: string; issues: readonly CsvIssue[]; testId: string }) {
  return (
    <table className="grid" data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Column</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue, i) => (
          <tr key={i} data-line={issue.line}>
            <td>{issue.line}</td>
            <td>{issue.column ?? '—'}</td>
            <td>{issue.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
