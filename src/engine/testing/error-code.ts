/**
 * What a promise ends in, for contract tests that compare outcomes across implementations: the `code` of the
 * error it rejects with (or the error's text when it has none), or `'resolved'`.
 */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return 'resolved';
}
