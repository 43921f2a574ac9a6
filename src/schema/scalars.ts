/**
 * The custom scalars of the API. Domain timestamps are epoch milliseconds; the API speaks ISO-8601
 * date-times (`DateTime`). Free-form documents (a signal's body, an audited payload) are `JSON`.
 */
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;

/** Epoch milliseconds to the `Date` the `DateTime` scalar serializes. */
export function toDate(epochMs: number): Date {
  return new Date(epochMs);
}
