/**
 * The one place engine and store errors become GraphQL errors.
 *
 * - invalid arguments: `BAD_USER_INPUT`, with the argument's name in the message and in
 *   `extensions.argumentName` (`filter.minAbsScore` for a field of an input argument);
 * - a cursor the store did not issue (`INVALID_CURSOR`): `BAD_USER_INPUT` on `after`;
 * - anything else is unexpected: reported, and `INTERNAL_SERVER_ERROR` (message and cause hidden in production).
 */
import { GraphQLError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { ApiContext } from './context.js';

export const ErrorCode = {
  badUserInput: 'BAD_USER_INPUT',
  internal: 'INTERNAL_SERVER_ERROR',
} as const;

export const INTERNAL_MESSAGE = 'Internal server error';

export function badUserInput(argumentName: string, problem: string): GraphQLError {
  return new GraphQLError(`Argument "${argumentName}" ${problem}`, {
    extensions: { code: ErrorCode.badUserInput, argumentName },
  });
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** Translates what a resolver threw into what the client sees. */
export function toGraphQLError(error: unknown, ctx: Pick<ApiContext, 'production' | 'reportError'>): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (codeOf(error) === 'INVALID_CURSOR') {
    return badUserInput('after', 'is not a cursor this server issued; pass a `pageInfo.endCursor` unchanged');
  }
  ctx.reportError(error);
  if (ctx.production) return new GraphQLError(INTERNAL_MESSAGE, { extensions: { code: ErrorCode.internal } });
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(cause.message, { originalError: cause, extensions: { code: ErrorCode.internal } });
}

/** Resolver-class middleware: `@UseMiddleware(TranslateErrors)` on every resolver. */
export const TranslateErrors: MiddlewareFn<ApiContext> = async ({ context }, next) => {
  try {
    return await next();
  } catch (error) {
    throw toGraphQLError(error, context);
  }
};
