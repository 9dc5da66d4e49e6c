import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder';
import './user';
import './room';
import './message';
import './room-events';
import './message-changes';
import './typing';
import './read-state';
import './presence';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** The executable schema both servers serve. */
export const schema: GraphQLSchema = builder.toSchema({ sortSchema: true });

/** The SDL committed as schema.graphql (sorted, so diffs stay readable). */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
