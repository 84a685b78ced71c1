import { useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { JsmDirectoryView, JsmServiceEntry } from '../../../../src/contract/console';
import { bridgeError, getService, jsmDirectory, learnJsm, saveService, searchServices } from '../api';
import { Combobox, type Option } from '../components/Combobox';
import { formatDate, plural } from '../components/format';
import { Message } from '../components/Message';
import { useConsole } from '../context';

/**
 * The site's JSM services as the app learned them from incidents' Affected services (and Assets, where
 * it can read them), each with the catalogue services mapped to it; a manager maps one to a service or
 * creates a service for it.
 */
export default function JsmServices({ onDone, onCreate }: { onDone: (changed?: string) => void; onCreate: (prefill: { name: string; jsmServiceId: string }) => void }) {
  const { view } = useConsole();
  const [directory, setDirectory] = useState<JsmDirectoryView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const reload = useCallback(async () => {
    const answer = await jsmDirectory().catch(bridgeError);
    if (answer.ok) setDirectory(answer.data);
    else setError(answer.error.message);
  }, []);
  useEffect(() => {
    void reload();
    heading.current?.focus();
  }, [reload]);

  const learn = async () => {
    setBusy(true);
    setError(undefined);
    const answer = await learnJsm().catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setError(answer.error.message);
    setDirectory(answer.data);
    setNotice(`Read ${plural(answer.data.incidentsRead ?? 0, 'incident')}: ${plural(answer.data.services.length, 'JSM service')} known.`);
  };

  const map = async (entry: JsmServiceEntry, serviceId: string) => {
    setError(undefined);
    const detail = await getService(serviceId).catch(bridgeError);
    if (!detail.ok) return setError(detail.error.message);
    const s = detail.data;
    const answer = await saveService({
      id: s.id,
      expectedUpdatedAt: s.updatedAt,
      service: {
        name: s.name,
        ownerAccountId: s.owner?.accountId,
        tier: s.tier,
        rto: s.rto.text,
        rpo: s.rpo.text,
        dependsOn: s.dependsOn.map((d) => d.id),
        jsmServiceIds: [...new Set([...s.jsmServices.map((j) => j.id), entry.id])],
        components: s.components,
        labels: s.labels,
      },
    }).catch(bridgeError);
    if (!answer.ok) return setError(answer.error.message);
    setChanged(true);
    setNotice(`${entry.name} is now mapped to ${s.name}.`);
    await reload();
  };

  return (
    <Stack space="space.200">
      <div>
        <Button appearance="subtle" onClick={() => onDone(changed ? 'JSM mappings saved.' : undefined)} testId="back-to-list">
          Back to services
        </Button>
      </div>
      <Inline space="space.200" alignBlock="center" spread="space-between" shouldWrap>
        <h2 ref={heading} tabIndex={-1}>
          JSM services
        </h2>
        {view.role.manager && (
          <Button appearance="primary" onClick={() => void learn()} isLoading={busy} testId="learn-jsm">
            Learn from incidents
          </Button>
        )}
      </Inline>
      <p className="subtle">
        An incident is matched to the catalogue through the ids in its Affected services field. The app learns those ids, as incidents carry them, by reading the site's most recent incidents that name a service. Map each one to the catalogue service it
        stands for.
      </p>
      {error && <Message kind="error">{error}</Message>}
      {notice && (
        <Message kind="success" testId="jsm-notice">
          {notice}
        </Message>
      )}
      {!directory ? (
        <p className="subtle">Loading…</p>
      ) : (
        <>
          <p className="subtlest" data-testid="jsm-learned">
            {directory.learnedAt
              ? `Learned ${formatDate(directory.learnedAt, view.timeZone)} from ${plural(directory.incidentsRead ?? 0, 'incident')}${directory.bounded ? ' (the most recent ones; older incidents were not read)' : ''}.`
              : 'Not learned yet.'}
            {directory.assets.state === 'read' ? ` Assets listed ${plural(directory.assets.count ?? 0, 'service')}.` : directory.assets.state === 'unavailable' ? ` Assets: ${directory.assets.reason ?? 'not available'}` : ''}
          </p>
          {!directory.fieldFound && <Message kind="warning">This site has no Affected services field: incidents can only be matched through components and labels.</Message>}
          {directory.unseenMappings.length > 0 && (
            <Message kind="warning" title="Mapped ids no incident carries:" testId="unseen-mappings">
              <ul>
                {directory.unseenMappings.map((m) => (
                  <li key={`${m.serviceId}/${m.jsmServiceId}`}>
                    {m.serviceName}: {m.jsmServiceId}
                  </li>
                ))}
              </ul>
              Check that each is the id the Affected services field holds; an incident naming another id will not match.
            </Message>
          )}
          {directory.services.length === 0 ? (
            <div className="panel">{view.role.manager ? 'No JSM services learned yet: learn them from incidents.' : 'No JSM services learned yet.'}</div>
          ) : (
            <table className="grid" data-testid="jsm-table">
              <caption className="visually-hidden">JSM services and the catalogue services mapped to them</caption>
              <thead>
                <tr>
                  <th scope="col">JSM service</th>
                  <th scope="col">Seen on</th>
                  <th scope="col">Mapped to</th>
                  {view.role.manager && <th scope="col">Map</th>}
                </tr>
              </thead>
              <tbody>
                {directory.services.map((entry) => (
                  <tr key={entry.id} data-jsm={entry.name}>
                    <th scope="row">
                      {entry.name}
                      <div className="subtlest">{entry.id}</div>
                    </th>
                    <td>{entry.source === 'assets' ? 'Assets' : `${plural(entry.incidents, 'incident')}, last ${formatDate(entry.lastSeenAt, view.timeZone)}`}</td>
                    <td>{entry.mappedTo.length ? entry.mappedTo.map((m) => m.name).join(', ') : <span className="subtle">Not mapped</span>}</td>
                    {view.role.manager && (
                      <td>
                        <MapControl entry={entry} onMap={(id) => void map(entry, id)} />
                        <Button appearance="subtle" onClick={() => onCreate({ name: entry.name, jsmServiceId: entry.id })} testId={`create-from-${entry.name}`}>
                          Create a service
                        </Button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Stack>
  );
}

function MapControl({ entry, onMap }: { entry: JsmServiceEntry; onMap: (serviceId: string) => void }) {
  const search = useCallback(
    async (text: string): Promise<Option[] | string> => {
      const answer = await searchServices(text).catch(bridgeError);
      if (!answer.ok) return answer.error.message;
      return answer.data.services.filter((s) => !entry.mappedTo.some((m) => m.id === s.id)).map((s) => ({ id: s.id, label: s.name }));
    },
    [entry],
  );
  const id = `map-${entry.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <div>
      <label className="visually-hidden" htmlFor={id}>
        Map {entry.name} to a catalogue service
      </label>
      <Combobox id={id} search={search} placeholder="Map to a service…" onChoose={(o) => onMap(o.id)} testId={`map-${entry.name}`} />
    </div>
  );
}
