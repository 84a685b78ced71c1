/** One function per measuring resolver call of the Service continuity page; keys and shapes from the shared contract. */
import { invoke } from '@forge/bridge';
import type { ConsoleResult } from '../../../../src/contract/console';
import {
  MEASURE,
  type BiaSuggestionView,
  type BiaView,
  type IndicatorId,
  type IndicatorsCsvAnswer,
  type IndicatorsView,
  type PublishReviewAnswer,
  type PublishReviewInput,
  type RebuildAnswer,
  type ReviewStatus,
  type RiskRegisterView,
  type RiskView,
  type SaveBiaAnswer,
  type SaveBiaInput,
  type SaveRiskInput,
  type SuggestBiaInput,
} from '../../../../src/contract/measure';

const call = async <T>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as ConsoleResult<T>;

export const getBia = (serviceId: string) => call<BiaView>(MEASURE.getBia, { serviceId });
export const suggestBia = (input: SuggestBiaInput) => call<BiaSuggestionView>(MEASURE.suggestBia, input);
export const saveBia = (input: SaveBiaInput) => call<SaveBiaAnswer>(MEASURE.saveBia, input);
export const listRisks = (serviceId: string, cursor?: string) => call<RiskRegisterView>(MEASURE.listRisks, { serviceId, ...(cursor ? { cursor } : {}) });
export const saveRisk = (input: SaveRiskInput) => call<RiskView>(MEASURE.saveRisk, input);
export const deleteRisk = (id: string, expectedVersion: number) => call<{ id: string }>(MEASURE.deleteRisk, { id, expectedVersion });
export const loadIndicators = () => call<IndicatorsView>(MEASURE.indicators);
export const indicatorsCsv = (only?: IndicatorId) => call<IndicatorsCsvAnswer>(MEASURE.indicatorsCsv, only ? { only } : {});
export const rebuildIndicators = () => call<RebuildAnswer>(MEASURE.rebuildIndicators);
export const reviewStatus = (period: string) => call<ReviewStatus>(MEASURE.reviewStatus, { period });
export const publishReview = (input: PublishReviewInput) => call<PublishReviewAnswer>(MEASURE.publishReview, input);
