export type Readiness = Record<string, string>;

/** Services whose probe did not answer "ok", as "name: reason" lines. */
export function failingServices(readiness: Readiness): string[] {
  return Object.entries(readiness)
    .filter(([name, state]) => name !== "status" && state !== "ok")
    .map(([name, state]) => `${name}: ${state}`);
}
