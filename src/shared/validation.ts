/** The first problem zod found, in words: "<field>: <what is wrong>" (the field falls back to `where`). */
export function describeZodError(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }, where: string): string {
  const issue = error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : where;
  return `${field}: ${issue?.message ?? 'invalid value'}`;
}
