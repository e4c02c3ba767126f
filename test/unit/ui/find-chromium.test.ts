import { findChromium } from '../../../scripts/lib/browser.js';

describe('finding the browser for the ui tests', () => {
  it('takes $RECPIPE_CHROMIUM when it exists, and reports none (so the tests skip) when it does not', () => {
    expect(findChromium({ RECPIPE_CHROMIUM: process.execPath })).toBe(process.execPath);
    expect(findChromium({ RECPIPE_CHROMIUM: '/nonexistent/chromium' })).toBeUndefined();
  });
});
