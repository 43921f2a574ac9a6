/**
 * The GraphQL document limits, as validation rules that HTTP (Apollo) and websockets (graphql-ws) both run:
 * graphql-armor's depth, cost, alias and directive rules, and a rule refusing NUL characters in string
 * literals (PostgreSQL text cannot hold them, and no instrument, id or cursor contains one). The token limit
 * is graphql-js's own `maxTokens` parse option, which is what graphql-armor's max-tokens protection does,
 * without parsing each document twice.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { type ASTVisitor, GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { LimitsSettings } from './defaults.js';

export const LimitCode = {
  validation: 'GRAPHQL_VALIDATION_FAILED',
  parse: 'GRAPHQL_PARSE_FAILED',
  badRequest: 'BAD_REQUEST',
  badUserInput: 'BAD_USER_INPUT',
  batchTooLarge: 'BATCH_TOO_LARGE',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  rateLimited: 'RATE_LIMITED',
} as const;

/** Reports a rejection as a validation error naming the limit (`extensions.limit`), without armor's "Syntax Error" prefix. */
function reject(limit: keyof LimitsSettings): GraphQLArmorRejectCallback[] {
  return [
    (ctx, error) =>
      ctx?.reportError(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: LimitCode.validation, limit } }),
      ),
  ];
}

/** Refuses string literals holding U+0000; variables are checked apart (see `findNul`). */
const noNulStrings: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  StringValue(node) {
    if (node.value.includes('\u0000')) {
      context.reportError(
        new GraphQLError('String literals may not contain the NUL character (U+0000)', { nodes: [node], extensions: { code: LimitCode.badUserInput } }),
      );
    }
  },
});

export function limitRules(limits: LimitsSettings): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxDepthRule({ ...common, n: limits.maxDepth, onReject: reject('maxDepth') }),
    costLimitRule({ ...common, maxCost: limits.maxCost, onReject: reject('maxCost') }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: reject('maxAliases') }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives, onReject: reject('maxDirectives') }),
    noNulStrings,
  ];
}

/** The path of the first string holding U+0000 in a request's variables (`variables.filter.instrument`), or null. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = findNul(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Drops graphql-js's "Did you mean …?" hints, which let a client map the schema with introspection off. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}
