/** Tiny ADF helpers for the plans domain tests (test support only). */
import { doc as adfDoc, heading, p as adfP, text as adfText } from '@atlaskit/adf-utils/builders';

export const doc = adfDoc;
export const p = adfP;
export const text = adfText;
export const h2 = (title: string) => heading({ level: 2 })(adfText(title));
