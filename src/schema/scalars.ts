/**
 * The custom scalars of the API. Domain timestamps are epoch milliseconds; the API speaks ISO-8601
 * date-times (`DateTime`). Calendar dates without a time (a filing date, a transaction date) are
 * `LocalDate` (`YYYY-MM-DD`), as the filings state them. Free-form documents (a signal's body, an audited
 * payload) are `JSON`.
 */
import { DateTimeResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';

export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;
export const LocalDateScalar = LocalDateResolver;

/** Epoch milliseconds to the `Date` the `DateTime` scalar serializes. */
export function toDate(epochMs: number): Date {
  return new Date(epochMs);
}
