/** The execution engine's public surface, for the composition root, the store and the resolvers. */
export * from './broker.js';
export { PaperBroker, type PaperBrokerOptions } from './brokers/paper.js';
export { FaultyBroker, type BrokerMethod, type Fault } from './brokers/faulty.js';
export { Cancellation, type CancelSweep } from './cancellation.js';
export { ExecutionError, InvalidOrderTransition, type ExecutionErrorCode } from './errors.js';
export * from './events.js';
export { Executor, requestOf, type ExecutorOptions, type ProcessOutcome, type ResumeOutcome } from './executor.js';
export { OrderJournal, type JournalOptions, type JournalResult, type Plan } from './journal.js';
export { KillSwitches, type KillSwitchChange, type KillSwitchOptions } from './kill-switch.js';
export {
  covers,
  GLOBAL_SCOPE,
  MemoryKillSwitchStore,
  scopeKey,
  type KillSwitchScope,
  type KillSwitchState,
  type KillSwitchStore,
} from './kill-switch-store.js';
export { dec, Money, text as decimalText } from './money.js';
export { buildOrderEvent, fillEvent, type OrderEventDraft } from './order-events.js';
export { OrderSync, type OrderSyncResult, type VenueSyncReport } from './order-sync.js';
export {
  draftOrder,
  exposureOf,
  FINAL_STATUSES,
  isOpen,
  leavesQuantity,
  OPEN_STATUSES,
  ORDER_STATUSES,
  type Order,
  type OrderStatus,
} from './order.js';
export {
  MemoryLastPrices,
  StaticTradability,
  type FillSink,
  type LastPrices,
  type LastTrade,
  type Tradability,
  type TradabilityVerdict,
  type VaultCredit,
  type VaultCreditPort,
} from './ports.js';
export { MemoryAutotradeQueue, type AutotradeQueue, type QueuedIntent, type QueueOutcome, type QueueState, type TakeOptions } from './queue.js';
export { Reconciler, type ReconcilerOptions } from './reconcile.js';
export {
  MemoryOrderRepository,
  type FillFilter,
  type FillRecord,
  type OrderChange,
  type OrderFilter,
  type OrderRepository,
} from './repository.js';
export { CreditCheck, GlobalDailyNotionalCheck, MaxOrderNotionalCheck, OrderRateCheck, VaultDailyNotionalCheck } from './risk/checks-limits.js';
export { DuplicateCheck, KillSwitchCheck, PriceCollarCheck, TradableCheck, ValidOrderCheck } from './risk/checks-order.js';
export { CompositeRiskCheck, NullRiskCheck, standardRiskChecks, type RiskConfig } from './risk/composite.js';
export { RiskEngine, type RiskEngineOptions } from './risk/engine.js';
export { TokenBucket } from './risk/token-bucket.js';
export type { RiskCheck, RiskDenial, RiskSnapshot, RiskVerdict, VaultLimit } from './risk/types.js';
export { BrokerRouter } from './router.js';
export { applyOrderEvent, nextStatus, ORDER_TRANSITIONS, ORDER_TRIGGERS, transitionOf, triggerOf, type OrderTrigger } from './state-machine.js';
export { DEFAULT_RETRY, isUncertain, lookUp, submitWithLookup, type RetryPolicy, type Sleep, type SubmitOutcome } from './submit.js';
export { BarFeed } from './bar-feed.js';
export { IntentIntake } from './intake.js';
