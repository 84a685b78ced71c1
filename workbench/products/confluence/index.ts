export { ConfluenceService, MAX_BODY_BYTES, type ConfluenceServiceOptions, type PageSnapshot, type Representation } from './service';
export { adfToStorage, storageToAdf, type AdfNode, type AdfMark, FORGE_EXTENSION_TYPE, MACRO_EXTENSION_TYPE } from './convert';
export { renderStorageHtml, renderAdfHtml, type RenderContext } from './render';
export type { ConfluencePagePayload, ConfluencePageEventType, EventContent, EventUser } from './events';
export { storageProblem } from './xhtml';
export { adfProblem } from './adf-validate';
