/**
 * What a venue's report of an order means for ours, as drafts for the journal: the acknowledgement, the fills
 * we have not seen (oldest first), then the venue's final word (rejected, canceled, expired) or a cancel it
 * reports pending. Every draft is optional: the venue may be behind us (it still says `accepted` while we
 * hold its cancel) or report something the table cannot reach, which the journal skips and reconciliation
 * reports.
 */
import type { BrokerFill, BrokerOrder, BrokerOrderStatus } from './broker.js';
import type { OrderEventDraft } from './order-events.js';
import type { Order, OrderStatus } from './order.js';

const MIRROR: Partial<Record<BrokerOrderStatus, OrderStatus>> = {
  rejected: 'REJECTED',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  pending_cancel: 'PENDING_CANCEL',
};

export function planFromBroker(order: Order, broker: BrokerOrder | null, fills: readonly BrokerFill[]): readonly OrderEventDraft[] {
  const drafts: OrderEventDraft[] = [];
  if (broker && order.status === 'SUBMITTED' && broker.status !== 'rejected') {
    drafts.push({ type: 'OrderAccepted', brokerOrderId: broker.brokerOrderId, tsEvent: broker.updatedAt, optional: true });
  }
  const mine = fills.filter((f) => f.clientOrderId === order.clientOrderId).slice().sort((a, b) => a.ts - b.ts);
  for (const fill of mine) drafts.push({ type: 'OrderFilled', fill, tsEvent: fill.ts, optional: true });
  if (!broker || MIRROR[broker.status] === order.status) return drafts;
  const at = broker.updatedAt;
  switch (broker.status) {
    case 'rejected':
      drafts.push({ type: 'OrderRejected', reason: broker.reason ?? 'rejected by the venue', code: null, tsEvent: at, optional: true });
      break;
    case 'canceled':
      drafts.push({ type: 'OrderCanceled', reason: broker.reason, tsEvent: at, optional: true });
      break;
    case 'expired':
      drafts.push({ type: 'OrderExpired', tsEvent: at, optional: true });
      break;
    case 'pending_cancel':
      drafts.push({ type: 'OrderCancelRequested', actor: 'venue', reason: 'the venue reports a cancel pending', tsEvent: at, optional: true });
      break;
    default:
      break;
  }
  return drafts;
}
