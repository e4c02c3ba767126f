/** NumPy .npy format 1.0 header for a C-order 2-D array. */
export function npyHeader(descr: string, rows: number, cols: number): Buffer {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const base = 10 + dict.length + 1;
  const pad = (64 - (base % 64)) % 64;
  const header = dict + ' '.repeat(pad) + '\n';
  const out = Buffer.alloc(10 + header.length);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  return out;
}
