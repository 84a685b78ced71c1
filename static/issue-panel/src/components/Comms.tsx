/**
 * Stakeholder updates while the plan runs: when the next one is due (from the last update, at the
 * tier's cadence: amber when due soon, red once overdue), and, for people who may comment, a template
 * filled with the incident's facts to post as an internal comment or a public reply. A template with no
 * place for the impact asks for none (the server appends any impact sent anyway, never drops it).
 * Viewers see when the next update is due, and no picker or box they cannot use.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Textarea from '@atlaskit/textarea';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { InvocationView, UpdateDueState } from '../../../../src/contract/issue-panel';
import { formatCountdown, formatTime } from '../../../shared/time';
import * as api from '../api';
import { useAction, usePanel } from '../panel-context';
import { ActionError } from './Checklist';

const BACKGROUND = { 'on-track': 'color.background.neutral', 'due-soon': 'color.background.warning', overdue: 'color.background.danger' } as const;
const COLOR = { 'on-track': 'color.text', 'due-soon': 'color.text.warning', overdue: 'color.text.danger' } as const;

export function Comms({ inv, siteTimeZone }: { inv: InvocationView; siteTimeZone: string }) {
  const { canComment } = usePanel();
  return (
    <Stack space="space.100">
      <h3 className="ds-heading-xsmall">Stakeholder updates</h3>
      <NextUpdate inv={inv} />
      {canComment && inv.comms.length > 0 && <PostUpdate inv={inv} siteTimeZone={siteTimeZone} />}
    </Stack>
  );
}

function NextUpdate({ inv }: { inv: InvocationView }) {
  const { now, timeZone } = usePanel();
  const next = inv.nextUpdate;
  if (!next) return null;
  // Recomputed as the clock ticks: the server's state was right when the view was built.
  const state: UpdateDueState = now >= next.dueAt ? 'overdue' : now >= next.dueSoonFrom ? 'due-soon' : 'on-track';
  const when = formatTime(next.dueAt, timeZone);
  const text = state === 'overdue' ? `Next update overdue by ${formatCountdown(now - next.dueAt)} (was due ${when}).` : `Next update due ${when}, in ${formatCountdown(next.dueAt - now)}.`;
  const basis = next.lastUpdateAt !== undefined ? `Last update ${formatTime(next.lastUpdateAt, timeZone)}; every ${next.cadenceMinutes} min for this tier.` : `No update yet; every ${next.cadenceMinutes} min for this tier.`;
  return (
    <Box backgroundColor={BACKGROUND[state]} padding="space.100" testId="next-update" data-state={state}>
      <Stack space="space.025">
        <Text color={COLOR[state]} weight="semibold">
          {text}
        </Text>
        <Text size="small" color="color.text.subtle">
          {basis}
        </Text>
      </Stack>
    </Box>
  );
}

function PostUpdate({ inv, siteTimeZone }: { inv: InvocationView; siteTimeZone: string }) {
  const { perform, busy, error } = useAction();
  const [templateId, setTemplateId] = useState(inv.comms[0]?.templateId ?? '');
  const [impact, setImpact] = useState('');
  const [posted, setPosted] = useState<string | undefined>();
  const template = inv.comms.find((c) => c.templateId === templateId) ?? inv.comms[0]!;
  const preview = template.usesImpact ? template.text.replace(/\{\{\s*impact\s*\}\}/gi, impact.trim() || 'under assessment') : template.text;
  const post = async (audience: 'internal' | 'public') => {
    setPosted(undefined);
    const what = audience === 'internal' ? 'Posted as an internal comment.' : 'Posted as a public reply.';
    const ok = await perform(() => api.postComms({ invocationId: inv.id, templateId: template.templateId, audience, impact: template.usesImpact ? impact.trim() || undefined : undefined, seen: template.postedCount }), what);
    if (ok) {
      setPosted(what);
      setImpact('');
    }
  };
  const selectId = `tpl-${inv.id}`;
  const impactId = `impact-${inv.id}`;
  return (
    <Stack space="space.100">
      <div>
        <label className="ds-label" htmlFor={selectId}>
          Template
        </label>
        <select className="ds-select" id={selectId} value={template.templateId} onChange={(e) => setTemplateId(e.target.value)} data-testid="comms-template">
          {inv.comms.map((c) => (
            <option key={c.templateId} value={c.templateId}>
              {c.name} ({c.audience}){c.postedCount ? ` · posted ${c.postedCount}×` : ''}
            </option>
          ))}
        </select>
      </div>
      {template.usesImpact && (
        <div>
          <label className="ds-label" htmlFor={impactId}>
            Impact
          </label>
          <Textarea id={impactId} value={impact} onChange={(e) => setImpact(e.target.value)} placeholder="e.g. 30 % of card payments fail" maxLength={1000} minimumRows={2} testId="comms-impact" />
        </div>
      )}
      <div>
        <span className="ds-label" id={`preview-${inv.id}`}>
          Preview (times in {siteTimeZone}, as the comment will say)
        </span>
        <blockquote className="preview" aria-labelledby={`preview-${inv.id}`} data-testid="comms-preview">
          {preview}
        </blockquote>
      </div>
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Button isDisabled={busy} onClick={() => void post('internal')} testId="post-internal">
          Post internal comment
        </Button>
        {template.audience === 'public' && inv.drill && (
          <Text size="small" color="color.text.subtle" testId="drill-internal-only">
            A drill: updates stay internal, nothing is posted to customers.
          </Text>
        )}
        {template.audience === 'public' && !inv.drill && (
          <Button isDisabled={busy} onClick={() => void post('public')} testId="post-public">
            Post public reply
          </Button>
        )}
        {posted && (
          <Text size="small" color="color.text.subtlest" testId="comms-posted">
            {posted}
          </Text>
        )}
      </Inline>
      {error && <ActionError text={error} />}
    </Stack>
  );
}
