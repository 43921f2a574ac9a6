import { describe, expect, it } from 'vitest';
import { holdings13f } from './entities.fixtures.js';
import {
  authorId,
  cusipCheckDigit,
  ENTITY_KINDS,
  filerId,
  instrumentId,
  kindOfId,
  labelId,
  normalizeAddress,
  normalizeBtcAddress,
  normalizeCusip,
  normalizeEvmAddress,
  normalizeHandle,
  padCik,
  personId,
  tokenId,
  walletId,
} from './ids.js';

describe('CUSIP check digits', () => {
  const cusips = [...new Set(holdings13f().map((h) => h.cusip))];

  it('accepts every CUSIP printed in the 13F fixtures', () => {
    expect(cusips.length).toBeGreaterThan(300);
    expect(cusips.filter((c) => normalizeCusip(c) === null)).toEqual([]);
  });

  it('rejects each fixture CUSIP with a wrong check digit', () => {
    for (const c of cusips) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === c[8]) continue;
        expect(normalizeCusip(c.slice(0, 8) + d), c.slice(0, 8) + d).toBeNull();
      }
    }
  });

  it('detects any single-digit substitution among the first eight characters', () => {
    let tried = 0;
    for (const c of cusips.slice(0, 60)) {
      for (let i = 0; i < 8; i++) {
        if (!/\d/.test(c[i]!)) continue;
        for (let d = 0; d <= 9; d++) {
          if (String(d) === c[i]) continue;
          const altered = c.slice(0, i) + d + c.slice(i + 1);
          expect(normalizeCusip(altered), altered).toBeNull();
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });

  it('rejects wrong lengths and characters, and reads lower case as upper', () => {
    expect(normalizeCusip('03783310')).toBeNull();
    expect(normalizeCusip('0378331000')).toBeNull();
    expect(normalizeCusip('03783310!')).toBeNull();
    expect(cusipCheckDigit('0378331')).toBeNull();
    const withLetter = cusips.find((c) => /[A-Z]/.test(c))!;
    expect(normalizeCusip(withLetter.toLowerCase())).toBe(withLetter);
  });
});

describe('CIKs', () => {
  it('pads to ten digits whichever way the source wrote the number', () => {
    expect(padCik(789019)).toBe('0000789019');
    expect(padCik('789019')).toBe('0000789019');
    expect(padCik(' 0000789019 ')).toBe('0000789019');
    expect(padCik(padCik('320193')!)).toBe(padCik(320193));
  });

  it('refuses what is not a CIK', () => {
    for (const bad of ['', '0', '0000000000', '12345678901', '78901x', '-5', 1.5, 0, -3]) {
      expect(padCik(bad), String(bad)).toBeNull();
    }
  });
});

describe('addresses and handles', () => {
  it('compares EVM addresses case-insensitively (checksummed, lower and upper case meet)', () => {
    const checksummed = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
    const forms = [checksummed, checksummed.toLowerCase(), `0x${checksummed.slice(2).toUpperCase()}`];
    expect(new Set(forms.map(normalizeEvmAddress)).size).toBe(1);
    expect(normalizeEvmAddress(checksummed)).toBe(checksummed.toLowerCase());
    expect(normalizeEvmAddress('0x1234')).toBeNull();
    expect(normalizeEvmAddress(`0x${'g'.repeat(40)}`)).toBeNull();
  });

  it('lower-cases bech32 Bitcoin addresses but keeps base58 ones as written', () => {
    const bech32 = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
    expect(normalizeBtcAddress(bech32.toUpperCase())).toBe(bech32);
    expect(normalizeBtcAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    expect(normalizeAddress('btc', '0xdac17f958d2ee523a2206206994597c13d831ec7')).toBeNull();
  });

  it('strips handle decorations and case', () => {
    expect(normalizeHandle('u/DeepValue')).toBe('deepvalue');
    expect(normalizeHandle('@DeepValue')).toBe('deepvalue');
    expect(normalizeHandle('has space')).toBeNull();
  });
});

describe('ids', () => {
  it('carry their kind in their prefix', () => {
    const ids = {
      instrument: instrumentId('AAPL'),
      filer: filerId('0000320193'),
      person: personId(filerId('0000789019'), 'John W. Smith'),
      wallet: walletId('eth', '0x28c6c06298d514db089934071355e5743bf21d60'),
      token: tokenId('eth', '0xdac17f958d2ee523a2206206994597c13d831ec7'),
      label: labelId('Binance'),
      author: authorId('Reddit', 'deepvalue'),
    };
    expect(Object.keys(ids).sort()).toEqual([...ENTITY_KINDS].sort());
    for (const [kind, id] of Object.entries(ids)) expect(kindOfId(id), id).toBe(kind);
    expect(kindOfId('xyz:1')).toBeNull();
    expect(kindOfId('ins:')).toBeNull();
  });

  it('give one id to one thing however it is spelt', () => {
    expect(labelId('BINANCE')).toBe(labelId('Binance'));
    expect(authorId('reddit', 'deepvalue')).toBe(authorId('Reddit', 'deepvalue'));
    expect(personId('cik:1', 'SMITH JOHN')).toBe(personId('cik:1', 'Smith, John'));
    expect(personId('cik:1', 'Smith John')).not.toBe(personId('cik:2', 'Smith John'));
  });
});
