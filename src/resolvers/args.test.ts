import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ConvictionVector } from '../engine/types.js';
import { checkConvictionFilter, checkId, checkPage, checkSignalFilter, toStoreConvictionFilter } from './args.js';
import { matchesConviction, matchesSignal } from './matches.js';

function thrown(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}

describe('argument checks', () => {
  it.each([
    ['first 0', () => checkPage(0, null), 'first'],
    ['first 501', () => checkPage(501, null), 'first'],
    ['first negative', () => checkPage(-3, null), 'first'],
    ['empty after', () => checkPage(10, ' '), 'after'],
    ['empty id', () => checkId('id', ''), 'id'],
    ['blank id', () => checkId('id', '   '), 'id'],
    ['overlong id', () => checkId('id', 'x'.repeat(257)), 'id'],
    ['minAbsScore > 1', () => checkConvictionFilter({ minAbsScore: 1.5 }), 'filter.minAbsScore'],
    ['minAbsScore < 0', () => checkConvictionFilter({ minAbsScore: -0.1 }), 'filter.minAbsScore'],
    ['empty instrument', () => checkConvictionFilter({ instrument: '' }), 'filter.instrument'],
    ['empty routingTag', () => checkConvictionFilter({ routingTag: '' }), 'filter.routingTag'],
    ['empty signal source', () => checkSignalFilter({ source: '' }), 'filter.source'],
  ])('%s is BAD_USER_INPUT naming the argument', (_name, fn, argumentName) => {
    const error = thrown(fn);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    expect(error.message).toContain(`"${argumentName}"`);
  });

  it('defaults first to 20 and keeps valid values', () => {
    expect(checkPage(null, null)).toEqual({ first: 20, after: null });
    expect(checkPage(500, 'abc')).toEqual({ first: 500, after: 'abc' });
    expect(checkPage(1, undefined)).toEqual({ first: 1, after: null });
  });

  it('turns activeOnly into activeAt = now for the store', () => {
    const match = checkConvictionFilter({ instrument: 'AAPL', minAbsScore: 0, activeOnly: true });
    expect(toStoreConvictionFilter(match, () => 1234)).toEqual({
      instrument: 'AAPL',
      minAbsScore: 0,
      band: null,
      routingTag: null,
      activeAt: 1234,
    });
    expect(toStoreConvictionFilter(checkConvictionFilter(null), () => 1234).activeAt).toBeNull();
  });
});

describe('subscription filters', () => {
  const v: ConvictionVector = {
    id: 'cv_1',
    signalId: 'sig_1',
    instrument: 'AAPL',
    convictionScore: -0.6,
    direction: 'SHORT',
    band: 'STRONG',
    reasonVector: [],
    contributingModels: [],
    ttl: 60,
    expiresAt: 2000,
    routingTags: ['equity', 'social'],
    explanation: '',
    createdAt: 1000,
  };
  const m = (f: Parameters<typeof checkConvictionFilter>[0]) => checkConvictionFilter(f);

  it.each([
    [{}, 1500, true],
    [{ instrument: 'AAPL' }, 1500, true],
    [{ instrument: 'MSFT' }, 1500, false],
    [{ minAbsScore: 0.6 }, 1500, true],
    [{ minAbsScore: 0.61 }, 1500, false],
    [{ band: 'STRONG' as const }, 1500, true],
    [{ band: 'WEAK' as const }, 1500, false],
    [{ routingTag: 'social' }, 1500, true],
    [{ routingTag: 'crypto' }, 1500, false],
    [{ activeOnly: true }, 1999, true],
    [{ activeOnly: true }, 2000, false],
    [{ activeOnly: false }, 5000, true],
  ])('conviction filter %j at %d → %s', (filter, now, expected) => {
    expect(matchesConviction(v, m(filter), now)).toBe(expected);
  });

  it('matches signals on instrument, kind, source and flag', () => {
    const s = {
      id: 's',
      source: 'reddit',
      kind: 'social_mention' as const,
      instrument: 'GME',
      externalId: null,
      contentHash: 'h',
      polarity: 0,
      magnitude: 1,
      body: {},
      flags: ['bot_swarm' as const],
      weight: 0.2,
      evidence: null,
      tsEvent: 0,
      tsInit: 0,
      causationIds: [],
    };
    expect(matchesSignal(s, checkSignalFilter(null))).toBe(true);
    expect(matchesSignal(s, checkSignalFilter({ instrument: 'GME', kind: 'social_mention', source: 'reddit' }))).toBe(true);
    expect(matchesSignal(s, checkSignalFilter({ kind: 'bar' }))).toBe(false);
    expect(matchesSignal(s, checkSignalFilter({ source: 'sec' }))).toBe(false);
    expect(matchesSignal(s, checkSignalFilter({ instrument: 'AMC' }))).toBe(false);
    expect(matchesSignal(s, checkSignalFilter({ flag: 'bot_swarm' }))).toBe(true);
    expect(matchesSignal(s, checkSignalFilter({ flag: 'late' }))).toBe(false);
  });
});
