import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  checkInsiderClusterFilter,
  checkInsiderTransactionFilter,
  checkInstitutionalHoldingFilter,
} from './filing-args.js';

const argumentOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  return expect.fail('expected BAD_USER_INPUT');
};

describe('filing filters', () => {
  it('spell identifiers as the store keeps them', () => {
    expect(
      checkInsiderTransactionFilter({ instrument: ' brk-b ', issuerCik: '320193', ownerCik: '0001214156', codes: ['p', 'S', 'P'] }),
    ).toEqual({
      instrument: 'BRK-B',
      issuerCik: '0000320193',
      ownerCik: '0001214156',
      codes: ['P', 'S'],
      discretionaryOnly: false,
      transactedFrom: null,
      transactedTo: null,
      includeRetracted: false,
    });
    expect(checkInstitutionalHoldingFilter({ managerCik: '1067983', cusip: '037833100', reportPeriod: '2023-03-31' })).toEqual({
      managerCik: '0001067983',
      cusip: '037833100',
      instrument: null,
      reportPeriod: '2023-03-31',
    });
    expect(checkInsiderClusterFilter({ issuerCik: '1640147', from: new Date(5), to: new Date(5) })).toEqual({
      instrument: null,
      issuerId: 'cik:0001640147',
      status: null,
      from: 5,
      to: 5,
    });
    expect(checkInsiderTransactionFilter(null).codes).toBeNull();
  });

  it.each([
    ['a CIK with letters', () => checkInsiderTransactionFilter({ issuerCik: 'CIK320193' }), 'filter.issuerCik'],
    ['an all-zero CIK', () => checkInstitutionalHoldingFilter({ managerCik: '0' }), 'filter.managerCik'],
    ['an empty code list', () => checkInsiderTransactionFilter({ codes: [] }), 'filter.codes'],
    ['a code the SEC does not use', () => checkInsiderTransactionFilter({ codes: ['B'] }), 'filter.codes'],
    [
      'dates the wrong way round',
      () => checkInsiderTransactionFilter({ transactedFrom: '2024-02-01', transactedTo: '2024-01-31' }),
      'filter.transactedTo',
    ],
    ['a CUSIP with a bad check digit', () => checkInstitutionalHoldingFilter({ cusip: '037833109' }), 'filter.cusip'],
    ['times the wrong way round', () => checkInsiderClusterFilter({ from: new Date(2), to: new Date(1) }), 'filter.to'],
  ])('refuse %s', (_what, check, argumentName) => {
    expect(argumentOf(check)).toEqual({ code: 'BAD_USER_INPUT', argumentName });
  });
});
