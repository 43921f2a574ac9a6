/** Every resolver class, for `buildSchema`. */
import type { NonEmptyArray } from 'type-graphql';
import { BacktestResolver } from './backtest.resolver.js';
import { CollectorResolver } from './collector.resolver.js';
import { ConvictionResolver } from './conviction.resolver.js';
import { EntityResolver } from './entity.resolver.js';
import { FilingResolver } from './filing.resolver.js';
import { HealthResolver } from './health.resolver.js';
import { InstrumentResolver } from './instrument.resolver.js';
import { KillSwitchResolver } from './kill-switch.resolver.js';
import { KpiResolver } from './kpi.resolver.js';
import { LineageResolver } from './lineage.resolver.js';
import { ModelResolver } from './model.resolver.js';
import { ModelOpsResolver } from './modelops.resolver.js';
import { OrderResolver, OrderUpdateResolver } from './order.resolver.js';
import { PersonaResolver } from './persona.resolver.js';
import { PrincipalResolver } from './principal.resolver.js';
import { SignalResolver } from './signal.resolver.js';
import { VaultResolver, VaultUpdateResolver } from './vault.resolver.js';

export const resolvers: NonEmptyArray<Function> = [
  ConvictionResolver,
  SignalResolver,
  InstrumentResolver,
  LineageResolver,
  EntityResolver,
  FilingResolver,
  CollectorResolver,
  ModelResolver,
  ModelOpsResolver,
  VaultResolver,
  VaultUpdateResolver,
  PersonaResolver,
  OrderResolver,
  OrderUpdateResolver,
  KillSwitchResolver,
  HealthResolver,
  PrincipalResolver,
  KpiResolver,
  BacktestResolver,
];
