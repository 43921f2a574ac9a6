/**
 * For a multi-row `insert … on conflict do nothing returning id`: which of the rows asked for were written.
 * Only the first row with a given id can have been; a later repeat in the same batch was not.
 */
export function writtenFlags(items: readonly { readonly id: string }[], returned: readonly { readonly id: string }[]): boolean[] {
  const written = new Set(returned.map((r) => r.id));
  return items.map((item) => written.delete(item.id));
}
