/**
 * Entity resolution: a raw signal's identifiers → entity ids and one instrument symbol, each with the rule that
 * matched and a confidence (see `resolution.ts` for the result's shape and the rules' confidences).
 *
 * The resolver is a pure function of the signal and the reference data: the same input always gives the same
 * resolution, so replays and backtests resolve exactly as live did. It never guesses: an identifier that the
 * data does not know, or that could mean two things (a name shared by two registrants, a cashtag that is both a
 * listed ticker and a coin, a post tagging two instruments), stays unresolved and says why.
 *
 * When identifiers disagree about the instrument, the most authoritative wins, in this order: issuer CIK, CUSIP,
 * token contract, explicit ticker field, the instrument the source named, cashtags, company name. The losers are
 * reported as conflicts. Cashtags that are not the instrument are mentions, not conflicts.
 */
import type { RawSignal } from '../types.js';
import {
  authorId,
  chainOfAddress,
  filerId,
  instrumentId,
  kindOfId,
  labelId,
  normalizeAddress,
  normalizeCusip,
  normalizeHandle,
  normalizeSymbol,
  padCik,
  personId,
  slug,
  tokenId,
  walletId,
} from './ids.js';
import { identifiersOf, type SignalIdentifiers } from './identifiers.js';
import type { Company, ReferenceData } from './reference.js';
import {
  type EntityRole,
  type Resolution,
  type ResolutionRule,
  type ResolvedEntity,
  RULE_CONFIDENCE,
  type Unresolved,
  type UnresolvedReason,
} from './resolution.js';

export * from './resolution.js';

/** A CIK listed with several tickers (GOOGL and GOOG) when nothing in the signal says which one. */
const CIK_FIRST_LISTING_CONFIDENCE = 0.9;

const ROLE_ORDER: readonly EntityRole[] = [
  'instrument',
  'issuer',
  'insider',
  'holder',
  'token',
  'sender',
  'receiver',
  'label',
  'author',
  'mentioned',
];

/** Instrument rules from the most authoritative down; cashtags are weighed as one group. */
const PRIORITY: readonly (readonly ResolutionRule[])[] = [
  ['cik'],
  ['cusip'],
  ['token_address'],
  ['ticker'],
  ['instrument_field'],
  ['cashtag', 'cashtag_universe'],
  ['company_name'],
];

interface Candidate {
  readonly symbol: string;
  readonly rule: ResolutionRule;
  readonly confidence: number;
  readonly identifier: string;
  readonly value: string;
}

const candidate = (symbol: string, rule: ResolutionRule, identifier: string, value: string): Candidate => ({
  symbol,
  rule,
  identifier,
  value,
  confidence: RULE_CONFIDENCE[rule],
});

/** The resolution being built for one signal. */
class Work {
  readonly entities = new Map<string, ResolvedEntity>();
  readonly unresolved: Unresolved[] = [];
  readonly candidates: Candidate[] = [];

  /** Adds an entity in a role; the same entity in the same role keeps its most confident rule. */
  add(id: string, role: EntityRole, rule: ResolutionRule, name: string | null, more: Partial<ResolvedEntity> = {}) {
    const entity: ResolvedEntity = {
      id,
      kind: kindOfId(id)!,
      role,
      rule,
      confidence: RULE_CONFIDENCE[rule],
      name,
      attrs: {},
      ...more,
    };
    const known = this.entities.get(`${role}|${id}`);
    if (!known || entity.confidence > known.confidence) this.entities.set(`${role}|${id}`, entity);
  }

  miss(identifier: string, value: string, reason: UnresolvedReason): void {
    this.unresolved.push({ identifier, value, reason });
  }
}

export class EntityResolver {
  constructor(private readonly data: ReferenceData) {}

  resolveSignal(signal: RawSignal): Resolution {
    return this.resolve(identifiersOf(signal));
  }

  resolve(ids: SignalIdentifiers): Resolution {
    const w = new Work();
    const tickers = ids.tickers.map(normalizeSymbol).filter((t) => t !== null);
    const declared = ids.instrument === null ? null : normalizeSymbol(ids.instrument);
    const named = [...tickers, declared];

    const issuer = this.#issuer(ids, named, w);
    this.#cusips(ids, w);
    this.#tokens(ids, w);
    for (const ticker of tickers) {
      if (this.data.isKnownSymbol(ticker)) w.candidates.push(candidate(ticker, 'ticker', 'ticker', ticker));
      else w.miss('ticker', ticker, 'unknown');
    }
    if (ids.instrument !== null) {
      if (declared && this.data.isKnownSymbol(declared)) {
        w.candidates.push(candidate(declared, 'instrument_field', 'instrument', declared));
      } else w.miss('instrument', ids.instrument, declared ? 'unknown' : 'invalid');
    }
    for (const tag of ids.cashtags) {
      const found = this.#cashtag(tag);
      if ('reason' in found) w.miss('cashtag', tag, found.reason);
      else {
        w.candidates.push(found);
        w.add(instrumentId(found.symbol), 'mentioned', found.rule, this.data.displayName(found.symbol));
      }
    }
    this.#names(ids, named, issuer, w);

    const decision = decide(w.candidates, w.unresolved);
    if (decision) {
      const { symbol, rule, confidence } = decision;
      w.add(instrumentId(symbol), 'instrument', rule, this.data.displayName(symbol), { confidence });
    }
    this.#owners(ids, issuer ?? (decision ? instrumentId(decision.symbol) : null), w);
    if (ids.holderCik !== null) {
      const cik = padCik(ids.holderCik);
      if (cik) w.add(filerId(cik), 'holder', 'holder_cik', this.data.company(cik)?.title ?? null);
      else w.miss('holderCik', ids.holderCik, 'invalid');
    }
    this.#party(ids.from, ids.fromLabel, 'sender', ids.chain, w);
    this.#party(ids.to, ids.toLabel, 'receiver', ids.chain, w);
    if (ids.author) {
      const handle = normalizeHandle(ids.author.handle);
      if (handle && slug(ids.author.platform) !== '') {
        w.add(authorId(ids.author.platform, handle), 'author', 'author', ids.author.handle);
      } else w.miss('author', `${ids.author.platform}:${ids.author.handle}`, 'invalid');
    }

    return {
      instrument: decision?.symbol ?? null,
      confidence: decision?.confidence ?? 0,
      rule: decision?.rule ?? null,
      entities: [...w.entities.values()].sort(
        (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      ),
      unresolved: w.unresolved,
    };
  }

  /** The issuer's CIK identifies a filer whatever the map says; its instrument needs the map. */
  #issuer(ids: SignalIdentifiers, named: readonly (string | null)[], w: Work): string | null {
    if (ids.issuerCik === null) return null;
    const cik = padCik(ids.issuerCik);
    if (!cik) {
      w.miss('issuerCik', ids.issuerCik, 'invalid');
      return null;
    }
    const company = this.data.company(cik);
    w.add(filerId(cik), 'issuer', 'cik', company?.title ?? ids.companyNames[0] ?? null);
    if (company) w.candidates.push(this.#listing(company, 'cik', named, ids.issuerCik));
    else w.miss('issuerCik', cik, 'unknown');
    return filerId(cik);
  }

  #cusips(ids: SignalIdentifiers, w: Work): void {
    for (const raw of ids.cusips) {
      const cusip = normalizeCusip(raw);
      const entry = cusip ? this.data.cusip(cusip) : null;
      if (!cusip) w.miss('cusip', raw, 'invalid');
      else if (!entry) w.miss('cusip', cusip, 'unknown');
      else w.candidates.push(candidate(entry.ticker, 'cusip', 'cusip', cusip));
    }
  }

  /** A token contract is an entity whether or not the data knows it; it names an instrument only if mapped. */
  #tokens(ids: SignalIdentifiers, w: Work): void {
    for (const raw of ids.tokenAddresses) {
      const chain = ids.chain ? slug(ids.chain) : chainOfAddress(raw);
      const address = chain ? normalizeAddress(chain, raw) : null;
      if (!chain || !address) {
        w.miss('tokenAddress', raw, 'invalid');
        continue;
      }
      const token = this.data.token(chain, address);
      w.add(tokenId(chain, address), 'token', 'token_address', token?.symbol ?? null);
      if (token?.instrument) w.candidates.push(candidate(token.instrument, 'token_address', 'tokenAddress', address));
      else if (!token) w.miss('tokenAddress', address, 'unknown');
    }
  }

  #names(ids: SignalIdentifiers, named: readonly (string | null)[], issuer: string | null, w: Work): void {
    for (const name of ids.companyNames) {
      const options = this.data.nameCandidates(name);
      if (options.length !== 1) {
        w.miss('companyName', name, options.length === 0 ? 'unknown' : 'ambiguous');
        continue;
      }
      const option = options[0]!;
      if (option.startsWith('ins:')) {
        w.candidates.push(candidate(option.slice(4), 'company_name', 'companyName', name));
        continue;
      }
      const company = this.data.company(option.slice(4))!;
      if (issuer === null) w.add(option, 'issuer', 'company_name', company.title);
      const listing = this.#listing(company, 'company_name', named, name);
      w.candidates.push({ ...listing, confidence: Math.min(listing.confidence, RULE_CONFIDENCE.company_name) });
    }
  }

  /** Insiders: by CIK when the filing gives one, else by name within the issuer (or its instrument). */
  #owners(ids: SignalIdentifiers, scope: string | null, w: Work): void {
    for (const owner of ids.owners) {
      const attrs: Record<string, string> = owner.relationship ? { relationship: owner.relationship } : {};
      const cik = owner.cik === null ? null : padCik(owner.cik);
      if (cik) w.add(filerId(cik), 'insider', 'owner_cik', owner.name, { attrs });
      else if (owner.cik !== null) w.miss('ownerCik', owner.cik, 'invalid');
      else if (owner.name && scope && slug(owner.name) !== '') {
        w.add(personId(scope, owner.name), 'insider', 'owner_name', owner.name, { attrs });
      } else if (owner.name) w.miss('owner', owner.name, 'unknown');
    }
  }

  /** Which of a company's listings is meant: the one named, else the one the engine trades, else the first. */
  #listing(company: Company, rule: ResolutionRule, named: readonly (string | null)[], value: string): Candidate {
    const identifier = rule === 'cik' ? 'issuerCik' : 'companyName';
    const pick = (symbol: string) => candidate(symbol, rule, identifier, value);
    if (company.tickers.length === 1) return pick(company.tickers[0]!);
    const byName = named.find((t) => t !== null && company.tickers.includes(t));
    if (byName) return pick(byName);
    const traded = company.tickers.filter((t) => this.data.instrument(t) !== null);
    if (traded.length === 1) return pick(traded[0]!);
    const first = pick(company.tickers[0]!);
    return { ...first, confidence: Math.min(first.confidence, CIK_FIRST_LISTING_CONFIDENCE) };
  }

  /** A cashtag is a listed ticker or a coin; when it is both, only the one the engine trades is taken. */
  #cashtag(tag: string): Candidate | { reason: UnresolvedReason } {
    const symbol = normalizeSymbol(tag);
    if (!symbol) return { reason: 'invalid' };
    const equity = this.data.isKnownSymbol(symbol) ? symbol : null;
    const coin = this.data.cryptoInstrument(symbol);
    if (equity && coin && equity !== coin) {
      const traded = [equity, coin].filter((s) => this.data.instrument(s) !== null);
      if (traded.length !== 1) return { reason: 'ambiguous' };
      return candidate(traded[0]!, 'cashtag_universe', 'cashtag', symbol);
    }
    const only = equity ?? coin;
    return only ? candidate(only, 'cashtag', 'cashtag', symbol) : { reason: 'unknown' };
  }

  /**
   * A transfer's side: an address, labelled from the configured wallets or else by the source's own label, or
   * an exchange's name.
   */
  #party(value: string | null, given: string | null, role: 'sender' | 'receiver', chainName: string | null, w: Work) {
    if (value === null) return;
    const chain = chainName ? slug(chainName) : chainOfAddress(value);
    const address = chain ? normalizeAddress(chain, value) : null;
    if (chain && address) {
      const id = walletId(chain, address);
      w.add(id, role, 'wallet', null);
      const label = this.data.walletLabel(chain, address);
      if (label) w.add(labelId(label), 'label', 'wallet_label', label, { attrs: { wallet: id } });
      else if (given && slug(given) !== '') {
        w.add(labelId(given), 'label', 'source_label', given, { attrs: { wallet: id } });
      }
      return;
    }
    const label = this.data.label(value);
    if (label) w.add(labelId(label), role, 'exchange_name', label);
    else w.miss(role === 'sender' ? 'from' : 'to', value, 'unknown');
  }
}

/**
 * The instrument: the first priority group with candidates decides, if its candidates agree; candidates of
 * identity rules below it that name another instrument are conflicts.
 */
function decide(candidates: readonly Candidate[], unresolved: Unresolved[]): Candidate | null {
  for (const [i, group] of PRIORITY.entries()) {
    const inGroup = candidates.filter((c) => group.includes(c.rule));
    if (inGroup.length === 0) continue;
    if (new Set(inGroup.map((c) => c.symbol)).size > 1) {
      for (const c of inGroup) unresolved.push({ identifier: c.identifier, value: c.value, reason: 'ambiguous' });
      return null;
    }
    const best = inGroup.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    const below: readonly ResolutionRule[] = PRIORITY.slice(i + 1)
      .flat()
      .filter((r) => r !== 'cashtag' && r !== 'cashtag_universe');
    for (const c of candidates) {
      if (below.includes(c.rule) && c.symbol !== best.symbol) {
        unresolved.push({ identifier: c.identifier, value: c.value, reason: 'conflict' });
      }
    }
    return best;
  }
  return null;
}
