/**
 * The measuring resolvers of the Service continuity page (BIA and risks, indicators, the practice review,
 * the configuration check), registered on the page's resolver by console.ts. Payloads are parsed with
 * zod (the domain's schemas check the BIA and risk fields themselves, field by field); the user is the
 * context's, and every change checks the Service Continuity Manager role server-side.
 */
import { z } from 'zod';
import {
  MEASURE,
  type IndicatorsCsvInput,
  type PublishReviewInput,
  type ReviewPeriodInput,
  type RiskListInput,
  type RiskRefInput,
  type SaveBiaInput,
  type SaveRiskInput,
  type ServiceIdInput,
  type SuggestBiaInput,
} from '../../contract/measure';
import { INDICATOR_IDS } from '../../domain/indicators';
import { biaView, saveBia, suggestBia } from '../../services/bia';
import { checkConfiguration } from '../../services/config-check';
import { indicatorsCsvExport, indicatorsView, rebuildAsManager } from '../../services/indicators-views';
import { publishReview, reviewStatus } from '../../services/review';
import { deleteRisk, riskRegister, saveRisk } from '../../services/risks';
import { invalidInput } from '../../domain/errors';
import { appDeps } from '../deps';
import { parseInput } from './schemas';

export interface MeasureContext {
  accountId?: string;
  siteUrl?: string;
}

type Define = (key: string, run: (payload: unknown, context: MeasureContext) => Promise<unknown>) => void;

const id = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, { error: `${what} is required.` }).max(200, { error: `${what} is too long.` });
const version = z.number({ error: 'The version the form was loaded at must be a number.' }).int().nonnegative();
const object = <T>(what: string) => z.custom<T>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { error: `${what} must be an object.` });
const period = z
  .string({ error: 'The review period is required.' })
  .trim()
  .regex(/^\d{4}(-Q[1-4])?$/, { error: 'The review period is a quarter such as 2026-Q4, or a year such as 2026.' });

const serviceIdInput: z.ZodType<ServiceIdInput, unknown> = z.object({ serviceId: id('The service') });
const suggestInput: z.ZodType<SuggestBiaInput, unknown> = z.object({ serviceId: id('The service'), bia: object<SuggestBiaInput['bia']>('A business impact analysis') });
const saveBiaInput: z.ZodType<SaveBiaInput, unknown> = z.object({
  serviceId: id('The service'),
  expectedVersion: version.optional(),
  bia: object<SaveBiaInput['bia']>('A business impact analysis'),
  applySuggestion: z.boolean({ error: 'Apply the suggestion must be true or false.' }).optional(),
});
const riskList: z.ZodType<RiskListInput, unknown> = z.object({ serviceId: id('The service'), cursor: z.string().max(2_000, { error: 'The page cursor is too long.' }).optional() });
const saveRiskInput: z.ZodType<SaveRiskInput, unknown> = z.object({ id: id('The risk').optional(), expectedVersion: version.optional(), risk: object<SaveRiskInput['risk']>('A risk') });
const riskRef: z.ZodType<RiskRefInput, unknown> = z.object({ id: id('The risk'), expectedVersion: version });
const csvInput: z.ZodType<IndicatorsCsvInput, unknown> = z.object({ only: z.enum(INDICATOR_IDS, { error: `The indicator must be one of: ${INDICATOR_IDS.join(', ')}.` }).optional() });
const periodInput: z.ZodType<ReviewPeriodInput, unknown> = z.object({ period });
const publishInput: z.ZodType<PublishReviewInput, unknown> = z.object({
  period,
  spaceKey: z
    .string({ error: 'The space key must be text.' })
    .trim()
    .regex(/^[A-Za-z0-9~]{1,255}$/, { error: 'The space key is the key Confluence shows for the space (letters and digits), such as CONT.' })
    .optional(),
  parentPageId: z.string({ error: 'The parent page must be text.' }).trim().regex(/^\d{1,19}$/, { error: 'The parent page is a Confluence page id (digits).' }).optional(),
});

function actorOf(context: MeasureContext): string {
  if (!context?.accountId) throw invalidInput('This change needs a signed-in user.', 'context.accountId');
  return context.accountId;
}

export function defineMeasure(define: Define): void {
  define(MEASURE.getBia, (p) => biaView(parseInput(serviceIdInput, p).serviceId, appDeps()));
  define(MEASURE.suggestBia, (p) => suggestBia(parseInput(suggestInput, p), appDeps()));
  define(MEASURE.saveBia, (p, c) => saveBia(parseInput(saveBiaInput, p), actorOf(c), appDeps()));
  define(MEASURE.listRisks, (p) => riskRegister(parseInput(riskList, p), appDeps()));
  define(MEASURE.saveRisk, (p, c) => saveRisk(parseInput(saveRiskInput, p), actorOf(c), appDeps()));
  define(MEASURE.deleteRisk, (p) => deleteRisk(parseInput(riskRef, p), appDeps()));
  define(MEASURE.indicators, () => indicatorsView(appDeps()));
  define(MEASURE.indicatorsCsv, (p) => indicatorsCsvExport(parseInput(csvInput, p), appDeps()));
  define(MEASURE.rebuildIndicators, () => rebuildAsManager(appDeps()));
  define(MEASURE.reviewStatus, (p) => reviewStatus(parseInput(periodInput, p).period, appDeps()));
  define(MEASURE.publishReview, (p, c) => publishReview(parseInput(publishInput, p), actorOf(c), appDeps()));
  define(MEASURE.checkConfiguration, () => checkConfiguration(appDeps()));
}
