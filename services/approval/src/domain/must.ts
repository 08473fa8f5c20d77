/** A value the surrounding invariant guarantees (a row just inserted, a primary assignment). */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`approval: ${what} is missing`);
  return value;
}
