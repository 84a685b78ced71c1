import type { ServiceRow } from '../../../../src/contract/console';
import { listInWords } from '../components/format';
import { Lozenge } from '../components/Lozenge';

const TIER_APPEARANCE = { 1: 'removed', 2: 'moved', 3: 'default' } as const;

/** The service list: one row per service with its objectives, owner, dependencies, JSM mapping, plan coverage and flags. */
export function ServiceTable({ services, busy, onOpen }: { services: readonly ServiceRow[]; busy: boolean; onOpen: (id: string) => void }) {
  return (
    <table className="grid" aria-busy={busy} data-testid="service-table">
      <caption className="visually-hidden">Services in the continuity catalogue</caption>
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Tier</th>
          <th scope="col">RTO</th>
          <th scope="col">RPO</th>
          <th scope="col">Owner</th>
          <th scope="col">Depends on</th>
          <th scope="col">JSM services</th>
          <th scope="col">Plan</th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {services.map((s) => (
          <tr key={s.id} data-testid="service-row" data-service={s.id}>
            <th scope="row">
              <button type="button" className="linklike" onClick={() => onOpen(s.id)}>
                {s.name}
              </button>
              {s.status === 'retired' && (
                <>
                  {' '}
                  <Lozenge>Retired</Lozenge>
                </>
              )}
            </th>
            <td className="nowrap">
              <Lozenge appearance={TIER_APPEARANCE[s.tier]}>{s.tierName}</Lozenge>
            </td>
            <td className="nowrap" data-testid="rto">
              {s.rto.text}
              {s.effectiveRto && s.effectiveRto.minutes !== s.rto.minutes && <div className="subtlest">effective {s.effectiveRto.text}</div>}
            </td>
            <td className="nowrap">{s.rpo.text}</td>
            <td>{s.owner ? (s.owner.displayName ?? <span className="subtle">Unknown user</span>) : <span className="subtle">—</span>}</td>
            <td>{s.dependsOn.length === 0 ? <span className="subtle">—</span> : listInWords(s.dependsOn.map((d) => d.name ?? d.id))}</td>
            <td>
              {s.jsmServices.length === 0 ? (
                <span className="subtle">—</span>
              ) : (
                s.jsmServices.map((j) => (
                  <div key={j.id} title={j.id}>
                    {j.name ?? j.id}
                    {!j.seen && (
                      <>
                        {' '}
                        <Lozenge appearance="moved" title="No incident the app has read carries this id">
                          Unseen id
                        </Lozenge>
                      </>
                    )}
                  </div>
                ))
              )}
            </td>
            <td>{s.hasApprovedPlan ? <Lozenge appearance="success">Approved</Lozenge> : <Lozenge appearance="removed">No approved plan</Lozenge>}</td>
            <td>
              <div className="flags" data-testid="flags">
                {s.band && (
                  <Lozenge appearance="moved" title={s.band.message}>
                    {s.band.flag === 'slower-than-band' ? 'RTO slower than tier' : 'RTO faster than tier'}
                  </Lozenge>
                )}
                {s.mtpd && (
                  <Lozenge appearance="removed" title={s.mtpd.message}>
                    {s.mtpd.which === 'own' ? 'RTO not below MTPD' : 'Effective RTO not below MTPD'}
                  </Lozenge>
                )}
                {s.inversions.length > 0 && (
                  <Lozenge appearance="removed" title={s.inversions.map((i) => `${i.dependencyName} needs ${i.dependencyRto.text}`).join('; ')}>
                    {`Inversion: ${listInWords(s.inversions.map((i) => i.dependencyName))}`}
                  </Lozenge>
                )}
              </div>
              {s.band && <span className="visually-hidden">{s.band.message}</span>}
              {s.mtpd && <span className="visually-hidden">{s.mtpd.message}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
