/** A command-line option that must be a positive number; fails naming the option otherwise. */
export function positiveOption(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return value;
}
