import type { Browser } from 'puppeteer-core';
export function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
export function launchBrowser(executablePath: string): Promise<Browser>;
