/** Instruments of the universe Vanta follows. */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { AssetClass, Instrument } from '../engine/types.js';

export const AssetClassEnum = { EQUITY: 'equity', CRYPTO: 'crypto', INDEX: 'index' } as const satisfies Record<
  string,
  AssetClass
>;
registerEnumType(AssetClassEnum, { name: 'AssetClass' });

@ObjectType('Instrument')
export class InstrumentType {
  @Field(() => ID, { description: 'Ticker or pair, e.g. `AAPL`, `BTC/USDT`.' })
  symbol!: string;

  @Field(() => String)
  name!: string;

  @Field(() => AssetClassEnum)
  assetClass!: AssetClass;

  @Field(() => String)
  sector!: string;

  @Field(() => String)
  venue!: string;
}

export function toInstrumentType(i: Instrument): InstrumentType {
  return { symbol: i.symbol, name: i.name, assetClass: i.assetClass, sector: i.sector, venue: i.venue };
}
