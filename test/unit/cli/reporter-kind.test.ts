/** Which progress output a terminal gets (render/reporter-kind.ts) and the plain-line reporter's journald form. */
import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { MIN_SPINNER_COLUMNS, isJournalStream, reporterKind } from '../../../src/cli/render/reporter-kind.js';
import { LineReporter } from '../../../src/cli/render/reporter.js';
import { tempDir } from '../../helpers/tmp.js';

const facts = { json: false, isTTY: true, columns: 80, journal: false };

describe('reporterKind', () => {
  it('gives a spinner only to a TTY that reports a usable width', () => {
    expect(reporterKind(facts)).toBe('spinner');
    // The 0-column terminal of issue 24: ora divided by the width and flooded the terminal.
    expect(reporterKind({ ...facts, columns: 0 })).toBe('lines');
    expect(reporterKind({ ...facts, columns: undefined })).toBe('lines');
    expect(reporterKind({ ...facts, columns: MIN_SPINNER_COLUMNS - 1 })).toBe('lines');
    expect(reporterKind({ ...facts, isTTY: false })).toBe('lines');
  });

  it('is silent with --json, and journald lines when stderr is the journal', () => {
    expect(reporterKind({ ...facts, json: true })).toBe('silent');
    expect(reporterKind({ ...facts, isTTY: false, journal: true })).toBe('journal');
  });
});

describe('isJournalStream', () => {
  it('is true when JOURNAL_STREAM names the descriptor (device:inode), as systemd sets it', () => {
    const path = join(tempDir('rp-journal-'), 'stream');
    writeFileSync(path, '');
    const fd = openSync(path, 'r');
    try {
      const s = fstatSync(fd);
      expect(isJournalStream({ JOURNAL_STREAM: `${s.dev}:${s.ino}` }, fd)).toBe(true);
      expect(isJournalStream({ JOURNAL_STREAM: `${s.dev}:${s.ino + 1}` }, fd)).toBe(false);
    } finally {
      closeSync(fd);
    }
  });

  it('is false without JOURNAL_STREAM and when it names another stream than stderr', () => {
    expect(isJournalStream({})).toBe(false);
    expect(isJournalStream({ JOURNAL_STREAM: '1:1' })).toBe(false);
    expect(isJournalStream({ JOURNAL_STREAM: 'garbage' })).toBe(false);
  });
});

describe('LineReporter', () => {
  const capture = (journal: boolean) => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    return { r: new LineReporter(out, journal), text: () => text };
  };

  it('writes plain lines with no cursor codes, progress at most every 10%', () => {
    const { r, text } = capture(false);
    r.step('uploading s');
    for (let i = 0; i <= 100; i++) r.progress(i / 100, `${i} MB`);
    r.warn('w');
    r.succeed();
    expect(text()).not.toContain('\u001b');
    expect(
      text()
        .split('\n')
        .filter((l) => /^ {2}\d+%/.test(l)),
    ).toHaveLength(11);
    expect(text()).toContain('warning: w\n');
  });

  it('prefixes each line with its syslog priority for journald', () => {
    const { r, text } = capture(true);
    r.step('uploading s');
    r.warn('cut short');
    r.fail('gone');
    expect(text()).toBe('<6>uploading s\n<4>warning: cut short\n<3>failed: gone\n');
  });
});
