// What every benchmark measures with: a timed run, the median of several, and how a target fared.
export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
