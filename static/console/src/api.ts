/** One function per resolver call of the Service continuity page; keys and shapes come from the shared contract. */
import { invoke } from '@forge/bridge';
import {
  CONSOLE,
  type ConsoleResult,
  type ConsoleView,
  type CsvExportAnswer,
  type CsvImportAnswer,
  type CsvInput,
  type CsvPreview,
  type DeleteServiceAnswer,
  type JsmDirectoryView,
  type Person,
  type PlanDetail,
  type PlanRegistryPage,
  type SavePlanInput,
  type SaveServiceInput,
  type ServiceChangeAnswer,
  type ServiceChoice,
  type ServiceDetail,
  type ServicePage,
  type ServiceQuery,
  type ServiceRefInput,
} from '../../../src/contract/console';

// Called without metadata, the bridge answers the resolver's return value itself.
const call = async <T>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as ConsoleResult<T>;

export const loadConsole = () => call<ConsoleView>(CONSOLE.load);
export const listServices = (query: ServiceQuery) => call<ServicePage>(CONSOLE.listServices, query);
export const getService = (id: string) => call<ServiceDetail>(CONSOLE.getService, { id });
export const searchServices = (prefix: string) => call<{ services: ServiceChoice[] }>(CONSOLE.searchServices, { prefix });
export const saveService = (input: SaveServiceInput) => call<ServiceChangeAnswer>(CONSOLE.saveService, input);
export const retireService = (input: ServiceRefInput) => call<ServiceChangeAnswer>(CONSOLE.retireService, input);
export const restoreService = (input: ServiceRefInput) => call<ServiceChangeAnswer>(CONSOLE.restoreService, input);
export const deleteService = (input: ServiceRefInput) => call<DeleteServiceAnswer>(CONSOLE.deleteService, input);
export const searchUsers = (query: string) => call<{ users: Person[] }>(CONSOLE.searchUsers, { query });
export const jsmDirectory = (mappings = true) => call<JsmDirectoryView>(CONSOLE.jsmDirectory, { mappings });
export const learnJsm = () => call<JsmDirectoryView>(CONSOLE.learnJsm);
export const previewCsv = (input: CsvInput) => call<CsvPreview>(CONSOLE.previewCsv, input);
export const importCsv = (input: CsvInput) => call<CsvImportAnswer>(CONSOLE.importCsv, input);
export const exportCsv = () => call<CsvExportAnswer>(CONSOLE.exportCsv);
export const listPlans = (cursor?: string) => call<PlanRegistryPage>(CONSOLE.listPlans, cursor ? { cursor } : {});
export const getPlan = (id: string) => call<PlanDetail>(CONSOLE.getPlan, { id });
export const savePlan = (input: SavePlanInput) => call<PlanDetail>(CONSOLE.savePlan, input);

/** A failure of the bridge itself (network, platform) in the contract's error shape. */
export const bridgeError = (error: unknown) => ({ ok: false as const, error: { code: 'INTERNAL' as const, message: error instanceof Error ? error.message : String(error) } });
