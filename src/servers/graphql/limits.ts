import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from '@envelop/core';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Config } from '../../config';
import { ErrorCode, userError } from '../../errors';

/** armor prefixes every refusal with "Syntax Error: ", which these are not. */
function limitError(armorError: GraphQLError): GraphQLError {
  return userError(ErrorCode.BadUserInput, `${armorError.message.replace(/^Syntax Error: /, '')} Ask for less in one operation.`);
}

/**
 * armor throws its own error by default, which escapes `validate()` (graphql-js rethrows
 * what a rule throws) and carries no code: report a BAD_USER_INPUT validation error instead.
 */
const reportLimit = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(limitError(error))],
};

/**
 * Size limits on a document, checked by graphql-armor on both transports (graphql-ws runs
 * through the same envelop). Each walks the document once, fragments memoised per name:
 * the hand-written depth rule before it walked a fragment again at every spread, which
 * made `...F1 ...F1` chains exponential (20 fragments: 4.9 s; armor: under 1 ms).
 */
export function queryLimitPlugins(limits: Config['limits']): Plugin[] {
  return [
    // Parsing stops at the limit (the parser counts as it reads), so every rule after it is bounded too.
    maxTokensPlugin({
      n: limits.maxTokens,
      // The parser has no validation context: the error is thrown, and becomes the request's parse error.
      onReject: [(_context: unknown, error: GraphQLError) => { throw limitError(error); }],
    }),
    // Fragments add no level (as execution sees it); only `__schema` is left out, so GraphiQL's deep introspection query passes.
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...reportLimit }),
    // armor leaves `x: __typename` out by default; every alias multiplies work, so all count.
    maxAliasesPlugin({ n: limits.maxAliases, allowList: [], ...reportLimit }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...reportLimit }),
  ];
}
