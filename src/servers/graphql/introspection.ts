import { useValidationRule, type Plugin } from '@envelop/core';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { ErrorCode } from '../../errors';

/**
 * Refuses `__schema` and `__type` (README, `INTROSPECTION`), with graphql-js's own rule, as
 * a validation rule of the envelop: the fast lane, Yoga and graphql-ws all validate through
 * it, so every transport refuses alike (`FORBIDDEN`: the query is valid, the server does not
 * allow it). `__typename` stays allowed: clients such as Apollo add it to every selection.
 * Yoga's plugin-disable-introspection was not used: it marks requests in Yoga's
 * request-parsing hook, which the fast lane and graphql-ws do not go through.
 */
export function useNoIntrospection(): Plugin {
  return useValidationRule(withCode(NoSchemaIntrospectionCustomRule, ErrorCode.Forbidden));
}

/** `rule`, its errors carrying `extensions.code` (graphql-js's rules report none). */
function withCode(rule: ValidationRule, code: string): ValidationRule {
  return (context) =>
    rule(
      Object.create(context, {
        reportError: {
          value: (error: GraphQLError) => context.reportError(new GraphQLError(error.message, { nodes: error.nodes, extensions: { code } })),
        },
      }),
    );
}
