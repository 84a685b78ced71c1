/** Headless Debian Chromium through playwright-core, started as the workplace's closed network needs. */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type FrameLocator, type Page } from 'playwright-core';
import type { Workbench, WorkbenchOptions } from '../../workbench/workbench';
import { startWorkbench } from './workbench';

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Adds an app's issue panel with the issue view's quick-add button, as a person does in Jira. */
export async function addIssuePanel(page: Page, title: string): Promise<FrameLocator> {
  await page.getByRole('button', { name: `Add ${title}` }).click();
  return page.frameLocator(`iframe[title="${title}"]`);
}

export interface BrowserSuite {
  wb: Workbench;
  url: string;
  browser: Browser;
  /** This test's own browser context (cookies, storage), closed after it. */
  context: BrowserContext;
}

export interface BrowserSuiteOptions {
  workbench?: Partial<WorkbenchOptions>;
  /** Once, after the workbench starts (settings the whole file relies on). */
  setUp?: (wb: Workbench) => Promise<void>;
  /** Every test's browser context. */
  context?: BrowserContextOptions;
  /** Before each test, once its context exists (a signed-in user's cookie). */
  beforeEach?: (suite: BrowserSuite) => Promise<void>;
  /** After each test, once its context is closed (put back what a test may change: the clock, faults). */
  afterEach?: (wb: Workbench) => void;
}

/**
 * One workbench and one Chromium for a browser test file, a fresh browser context for each test: the
 * jest hooks every browser suite needs. `use` is given the suite after it starts and before each test,
 * so the file keeps its own short names (`({ wb, url, context } = s)`).
 */
export function browserSuite(use: (suite: BrowserSuite) => void, options: BrowserSuiteOptions = {}): void {
  const suite = {} as BrowserSuite;
  beforeAll(async () => {
    Object.assign(suite, await startWorkbench(options.workbench));
    await options.setUp?.(suite.wb);
    suite.browser = await launchChromium();
    use(suite);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.wb?.stop();
  });
  beforeEach(async () => {
    suite.context = await suite.browser.newContext(options.context);
    await options.beforeEach?.(suite);
    use(suite);
  });
  afterEach(async () => {
    await suite.context?.close();
    options.afterEach?.(suite.wb);
  });
}
