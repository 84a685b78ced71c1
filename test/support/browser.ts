/** Headless Debian Chromium through playwright-core, started as the workplace's closed network needs. */
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Adds an app's issue panel with the issue view's quick-add button, as a person does in Jira. */
export async function addIssuePanel(page: Page, title: string): Promise<FrameLocator> {
  await page.getByRole('button', { name: `Add ${title}` }).click();
  return page.frameLocator(`iframe[title="${title}"]`);
}
