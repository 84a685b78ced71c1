import { useCallback, useEffect, useState } from 'react';
import { Stack } from '@atlaskit/primitives/compiled';
import { bridgeError, getService, searchServices } from '../../api';
import { Combobox, type Option } from '../../components/Combobox';
import { Field } from '../../components/Field';
import type { TabProps } from '../../tabs';
import { BiaPanel } from './BiaPanel';
import { RiskRegister } from './RiskRegister';
import '../measure.css';

/** The BIA and risks tab: choose a service, then its business impact analysis and its risk register. */
export default function BiaRisksTab({ intent, onIntentHandled }: TabProps) {
  const [service, setService] = useState<{ id: string; name: string } | undefined>();
  const find = useCallback(async (text: string): Promise<Option[] | string> => {
    const answer = await searchServices(text).catch(bridgeError);
    if (!answer.ok) return answer.error.message;
    return answer.data.services.map((s) => ({ id: s.id, label: s.name, detail: `Tier ${s.tier}, RTO ${s.rto.text}` }));
  }, []);

  useEffect(() => {
    if (intent?.kind !== 'measure-service') {
      if (intent) onIntentHandled();
      return;
    }
    const id = intent.serviceId;
    onIntentHandled();
    void getService(id)
      .catch(bridgeError)
      .then((answer) => answer.ok && setService({ id: answer.data.id, name: answer.data.name }));
  }, [intent, onIntentHandled]);

  return (
    <Stack space="space.300">
      <h2>Business impact analysis and risks</h2>
      <div className="toolbar">
        <div className="picker">
          <Field id="measure-service" label="Service" help={service ? undefined : 'Choose a service to see and change its business impact analysis and risk register.'}>
            {service ? (
              <ul className="chips" aria-label="Service">
                <li className="chip" data-testid="measure-service-chip">
                  {service.name}
                  <button type="button" aria-label={`Choose another service than ${service.name}`} onClick={() => setService(undefined)}>
                    ×
                  </button>
                </li>
              </ul>
            ) : (
              <Combobox id="measure-service" search={find} placeholder="Search services by name" onChoose={(o) => setService({ id: o.id, name: o.label })} testId="measure-service-search" />
            )}
          </Field>
        </div>
      </div>
      {service && (
        <>
          <BiaPanel key={`bia-${service.id}`} serviceId={service.id} />
          <RiskRegister key={`risks-${service.id}`} serviceId={service.id} />
        </>
      )}
    </Stack>
  );
}
