/** Random identifiers for server-generated scan and event ids (client ids are validated elsewhere). */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID()}`;
}
