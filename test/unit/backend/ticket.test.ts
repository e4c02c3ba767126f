import { signTicket, ticketPartSize, verifyTicket } from '../../../src/backend/multipart/ticket.js';

const secret = Buffer.alloc(32, 3);
const t = { key: 'raw/rig-a/20210301_100000/d.bin', uploadId: 'u-1', size: 25, partSize: 10 };

describe('upload tickets', () => {
  it('round-trip, and bound each part to the declared plan', () => {
    const v = verifyTicket(signTicket(t, secret), secret, t.key);
    expect(v).toEqual(t);
    expect([1, 2, 3].map((n) => ticketPartSize(v, n))).toEqual([10, 10, 5]);
    expect(() => ticketPartSize(v, 4)).toThrow(/past the end/);
  });

  it('refuse another key, another secret, an altered record, a token, junk, and a MAC written other than its canonical way', () => {
    const good = signTicket(t, secret);
    const [prefix, payload, mac] = good.split('.');
    const altered = `${prefix}.${Buffer.from(JSON.stringify({ k: t.key, u: t.uploadId, s: 10 ** 9, p: 10 })).toString('base64url')}.${mac}`;
    // The MAC's last character carries 4 bits of the MAC and 2 unused ones: flipping an unused bit decodes to the same bytes.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const i = last.indexOf(mac[mac.length - 1]);
    const sameBytes = `${prefix}.${payload}.${mac.slice(0, -1)}${last[i ^ 1]}`;
    expect(Buffer.from(sameBytes.split('.')[2], 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
    for (const [ticket, key, s] of [
      [good, 'raw/rig-a/20210301_100000/other.bin', secret],
      [good, t.key, Buffer.alloc(32, 4)],
      [altered, t.key, secret],
      [`rpt1.${payload}.${mac}`, t.key, secret],
      ['x', t.key, secret],
      [undefined, t.key, secret],
      [sameBytes, t.key, secret],
    ] as const) {
      expect(() => verifyTicket(ticket, s, key)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    }
  });
});
