import { describe, expect, it } from 'vitest';
import { compactToIsoDate, easternCompactToEpoch, easternDate, isIsoDate, isoToEpoch, mdyToIsoDate } from './time.js';

describe('EDGAR dates and times', () => {
  it('reads ISO times only with their offset', () => {
    expect(isoToEpoch('2023-07-11T12:52:02-04:00')).toBe(Date.UTC(2023, 6, 11, 16, 52, 2));
    expect(isoToEpoch('2023-07-11T16:52:02Z')).toBe(Date.UTC(2023, 6, 11, 16, 52, 2));
    expect(isoToEpoch('2023-07-11T12:52:02')).toBeNull();
    expect(isoToEpoch('yesterday')).toBeNull();
  });

  it('reads the three date forms and refuses impossible dates', () => {
    expect(mdyToIsoDate('03-31-2023')).toBe('2023-03-31');
    expect(mdyToIsoDate('02-30-2023')).toBeNull();
    expect(compactToIsoDate('20231114')).toBe('2023-11-14');
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
  });

  it('reads New York wall time on both sides of daylight saving', () => {
    expect(easternCompactToEpoch('20231114093854')).toBe(Date.UTC(2023, 10, 14, 14, 38, 54)); // EST
    expect(easternCompactToEpoch('20230711122859')).toBe(Date.UTC(2023, 6, 11, 16, 28, 59)); // EDT
    // 2023-03-12 03:30 EDT: just after the change.
    expect(easternCompactToEpoch('20230312033000')).toBe(Date.UTC(2023, 2, 12, 7, 30));
    expect(easternCompactToEpoch('20231114256000')).toBeNull();
  });

  it('gives the New York date of an instant', () => {
    expect(easternDate(Date.UTC(2023, 6, 12, 2, 0))).toBe('2023-07-11');
    expect(easternDate(Date.UTC(2023, 6, 12, 5, 0))).toBe('2023-07-12');
  });
});
