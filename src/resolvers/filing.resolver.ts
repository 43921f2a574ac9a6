/**
 * SEC filings as typed listings: insider transactions (4/A-replaced rows left out unless asked for), 13F holdings
 * and insider clusters.
 */
import { Arg, Authorized, Ctx, Int, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { InsiderClusterConnection, toInsiderClusterType } from '../schema/cluster.type.js';
import { toConnection } from '../schema/connection.js';
import { InsiderClusterFilter, InsiderTransactionFilter, InstitutionalHoldingFilter } from '../schema/filing.input.js';
import { InstitutionalHoldingConnection, toInstitutionalHoldingType } from '../schema/holding.type.js';
import { InsiderTransactionConnection, InsiderTransactionType, toInsiderTransactionType } from '../schema/insider.type.js';
import { checkPage, DEFAULT_PAGE_SIZE } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';
import {
  checkInsiderClusterFilter,
  checkInsiderTransactionFilter,
  checkInstitutionalHoldingFilter,
} from './filing-args.js';

@Resolver(() => InsiderTransactionType)
@UseMiddleware(TranslateErrors)
export class FilingResolver {
  @Authorized(Role.Markets)
  @Query(() => InsiderTransactionConnection, {
    description:
      'Transaction rows of Forms 3, 4 and 5 from SEC EDGAR, newest filing first. A row an amendment (4/A) replaced is left out unless `filter.includeRetracted` is set; it is then `RETRACTED`, with the retraction. Simulated insider filings are `signals` of kind `INSIDER_FILING` only.',
  })
  async insiderTransactions(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => InsiderTransactionFilter, { nullable: true }) filter: InsiderTransactionFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1..500' })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<InsiderTransactionConnection> {
    const page = checkPage(first, after);
    const found = await ctx.deps.store.filings.insiderTransactions(checkInsiderTransactionFilter(filter), page);
    return toConnection(found, toInsiderTransactionType);
  }

  @Authorized(Role.Markets)
  @Query(() => InstitutionalHoldingConnection, {
    description: 'Positions reported in 13F holdings reports, newest filing first.',
  })
  async institutionalHoldings(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => InstitutionalHoldingFilter, { nullable: true }) filter: InstitutionalHoldingFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1..500' })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<InstitutionalHoldingConnection> {
    const page = checkPage(first, after);
    const found = await ctx.deps.store.filings.institutionalHoldings(checkInstitutionalHoldingFilter(filter), page);
    return toConnection(found, toInstitutionalHoldingType);
  }

  @Authorized(Role.Markets)
  @Query(() => InsiderClusterConnection, {
    description: 'Insider clusters (several insiders of one issuer buying within a window), newest first; each emission.',
  })
  async insiderClusters(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => InsiderClusterFilter, { nullable: true }) filter: InsiderClusterFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1..500' })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<InsiderClusterConnection> {
    const page = checkPage(first, after);
    const found = await ctx.deps.store.filings.insiderClusters(checkInsiderClusterFilter(filter), page);
    return toConnection(found, toInsiderClusterType);
  }
}
