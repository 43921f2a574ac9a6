/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment ConvictionFields on ConvictionVector {\n  id\n  signalId\n  instrument\n  convictionScore\n  direction\n  band\n  reasonVector {\n    feature\n    contribution\n    value\n    sentence\n  }\n  contributingModels {\n    modelId\n    version\n    weight\n    output\n  }\n  ttl\n  expiresAt\n  routingTags\n  explanation\n  createdAt\n}\n\nquery ConvictionVectors($filter: ConvictionFilter, $first: Int, $after: String) {\n  convictionVectors(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ConvictionFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Conviction($id: ID!) {\n  conviction(id: $id) {\n    ...ConvictionFields\n    signal {\n      ...SignalFields\n    }\n  }\n}\n\nsubscription ConvictionUpdated($filter: ConvictionFilter) {\n  convictionUpdated(filter: $filter) {\n    ...ConvictionFields\n  }\n}": typeof types.ConvictionFieldsFragmentDoc,
    "query Lineage($id: ID!) {\n  lineage(id: $id) {\n    rootId\n    nodes {\n      eventId\n      type\n      tsEvent\n      tsInit\n      depth\n      payload\n      auditSeq\n      auditHash\n    }\n    edges {\n      from\n      to\n    }\n    missing\n  }\n}": typeof types.LineageDocument,
    "fragment SignalFields on Signal {\n  id\n  source\n  kind\n  instrument\n  externalId\n  contentHash\n  polarity\n  magnitude\n  body\n  tsEvent\n  tsInit\n  causationIds\n}\n\nquery Signals($filter: SignalFilter, $first: Int, $after: String) {\n  signals(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...SignalFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Signal($id: ID!) {\n  signal(id: $id) {\n    ...SignalFields\n  }\n}\n\nsubscription SignalIngested($filter: SignalFilter) {\n  signalIngested(filter: $filter) {\n    ...SignalFields\n  }\n}": typeof types.SignalFieldsFragmentDoc,
    "query Health {\n  health {\n    status\n    version\n    uptimeSeconds\n    mlBackend\n    storeKind\n    storeOk\n    busKind\n    pipelineLag\n    lastIngestToConvictionMs\n    signalsStored\n    convictionsStored\n  }\n}\n\nquery Instruments {\n  instruments {\n    symbol\n    name\n    assetClass\n    sector\n    venue\n  }\n}": typeof types.HealthDocument,
};
const documents: Documents = {
    "fragment ConvictionFields on ConvictionVector {\n  id\n  signalId\n  instrument\n  convictionScore\n  direction\n  band\n  reasonVector {\n    feature\n    contribution\n    value\n    sentence\n  }\n  contributingModels {\n    modelId\n    version\n    weight\n    output\n  }\n  ttl\n  expiresAt\n  routingTags\n  explanation\n  createdAt\n}\n\nquery ConvictionVectors($filter: ConvictionFilter, $first: Int, $after: String) {\n  convictionVectors(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ConvictionFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Conviction($id: ID!) {\n  conviction(id: $id) {\n    ...ConvictionFields\n    signal {\n      ...SignalFields\n    }\n  }\n}\n\nsubscription ConvictionUpdated($filter: ConvictionFilter) {\n  convictionUpdated(filter: $filter) {\n    ...ConvictionFields\n  }\n}": types.ConvictionFieldsFragmentDoc,
    "query Lineage($id: ID!) {\n  lineage(id: $id) {\n    rootId\n    nodes {\n      eventId\n      type\n      tsEvent\n      tsInit\n      depth\n      payload\n      auditSeq\n      auditHash\n    }\n    edges {\n      from\n      to\n    }\n    missing\n  }\n}": types.LineageDocument,
    "fragment SignalFields on Signal {\n  id\n  source\n  kind\n  instrument\n  externalId\n  contentHash\n  polarity\n  magnitude\n  body\n  tsEvent\n  tsInit\n  causationIds\n}\n\nquery Signals($filter: SignalFilter, $first: Int, $after: String) {\n  signals(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...SignalFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Signal($id: ID!) {\n  signal(id: $id) {\n    ...SignalFields\n  }\n}\n\nsubscription SignalIngested($filter: SignalFilter) {\n  signalIngested(filter: $filter) {\n    ...SignalFields\n  }\n}": types.SignalFieldsFragmentDoc,
    "query Health {\n  health {\n    status\n    version\n    uptimeSeconds\n    mlBackend\n    storeKind\n    storeOk\n    busKind\n    pipelineLag\n    lastIngestToConvictionMs\n    signalsStored\n    convictionsStored\n  }\n}\n\nquery Instruments {\n  instruments {\n    symbol\n    name\n    assetClass\n    sector\n    venue\n  }\n}": types.HealthDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ConvictionFields on ConvictionVector {\n  id\n  signalId\n  instrument\n  convictionScore\n  direction\n  band\n  reasonVector {\n    feature\n    contribution\n    value\n    sentence\n  }\n  contributingModels {\n    modelId\n    version\n    weight\n    output\n  }\n  ttl\n  expiresAt\n  routingTags\n  explanation\n  createdAt\n}\n\nquery ConvictionVectors($filter: ConvictionFilter, $first: Int, $after: String) {\n  convictionVectors(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ConvictionFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Conviction($id: ID!) {\n  conviction(id: $id) {\n    ...ConvictionFields\n    signal {\n      ...SignalFields\n    }\n  }\n}\n\nsubscription ConvictionUpdated($filter: ConvictionFilter) {\n  convictionUpdated(filter: $filter) {\n    ...ConvictionFields\n  }\n}"): (typeof documents)["fragment ConvictionFields on ConvictionVector {\n  id\n  signalId\n  instrument\n  convictionScore\n  direction\n  band\n  reasonVector {\n    feature\n    contribution\n    value\n    sentence\n  }\n  contributingModels {\n    modelId\n    version\n    weight\n    output\n  }\n  ttl\n  expiresAt\n  routingTags\n  explanation\n  createdAt\n}\n\nquery ConvictionVectors($filter: ConvictionFilter, $first: Int, $after: String) {\n  convictionVectors(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ConvictionFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Conviction($id: ID!) {\n  conviction(id: $id) {\n    ...ConvictionFields\n    signal {\n      ...SignalFields\n    }\n  }\n}\n\nsubscription ConvictionUpdated($filter: ConvictionFilter) {\n  convictionUpdated(filter: $filter) {\n    ...ConvictionFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Lineage($id: ID!) {\n  lineage(id: $id) {\n    rootId\n    nodes {\n      eventId\n      type\n      tsEvent\n      tsInit\n      depth\n      payload\n      auditSeq\n      auditHash\n    }\n    edges {\n      from\n      to\n    }\n    missing\n  }\n}"): (typeof documents)["query Lineage($id: ID!) {\n  lineage(id: $id) {\n    rootId\n    nodes {\n      eventId\n      type\n      tsEvent\n      tsInit\n      depth\n      payload\n      auditSeq\n      auditHash\n    }\n    edges {\n      from\n      to\n    }\n    missing\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SignalFields on Signal {\n  id\n  source\n  kind\n  instrument\n  externalId\n  contentHash\n  polarity\n  magnitude\n  body\n  tsEvent\n  tsInit\n  causationIds\n}\n\nquery Signals($filter: SignalFilter, $first: Int, $after: String) {\n  signals(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...SignalFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Signal($id: ID!) {\n  signal(id: $id) {\n    ...SignalFields\n  }\n}\n\nsubscription SignalIngested($filter: SignalFilter) {\n  signalIngested(filter: $filter) {\n    ...SignalFields\n  }\n}"): (typeof documents)["fragment SignalFields on Signal {\n  id\n  source\n  kind\n  instrument\n  externalId\n  contentHash\n  polarity\n  magnitude\n  body\n  tsEvent\n  tsInit\n  causationIds\n}\n\nquery Signals($filter: SignalFilter, $first: Int, $after: String) {\n  signals(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...SignalFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Signal($id: ID!) {\n  signal(id: $id) {\n    ...SignalFields\n  }\n}\n\nsubscription SignalIngested($filter: SignalFilter) {\n  signalIngested(filter: $filter) {\n    ...SignalFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Health {\n  health {\n    status\n    version\n    uptimeSeconds\n    mlBackend\n    storeKind\n    storeOk\n    busKind\n    pipelineLag\n    lastIngestToConvictionMs\n    signalsStored\n    convictionsStored\n  }\n}\n\nquery Instruments {\n  instruments {\n    symbol\n    name\n    assetClass\n    sector\n    venue\n  }\n}"): (typeof documents)["query Health {\n  health {\n    status\n    version\n    uptimeSeconds\n    mlBackend\n    storeKind\n    storeOk\n    busKind\n    pipelineLag\n    lastIngestToConvictionMs\n    signalsStored\n    convictionsStored\n  }\n}\n\nquery Instruments {\n  instruments {\n    symbol\n    name\n    assetClass\n    sector\n    venue\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;