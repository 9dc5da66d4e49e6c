import { GraphQLError, parse } from 'graphql';
import { maskError } from 'graphql-yoga';
import { ErrorCode, userError } from '../src/errors';
import { Metrics } from '../src/metrics';
import { countOperation, operationKinds, outcomeOf } from '../src/servers/graphql/operation-metrics';
import { maskUnexpected } from '../src/servers/graphql/yoga';

/** How results are counted: outcome labels stay a short, fixed list whatever is thrown. */
describe('operation outcomes', () => {
  const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

  test('our codes are kept; an unreachable database is SERVICE_UNAVAILABLE, masked or not; any other failure is INTERNAL_SERVER_ERROR', () => {
    expect(outcomeOf(userError(ErrorCode.RateLimited, 'slow down'))).toBe('RATE_LIMITED');
    expect(outcomeOf(userError(ErrorCode.Forbidden, 'no'))).toBe('FORBIDDEN');
    expect(outcomeOf(new GraphQLError('wrapped', { originalError: unreachable }))).toBe('SERVICE_UNAVAILABLE');
    expect(outcomeOf(maskUnexpected(unreachable))).toBe('SERVICE_UNAVAILABLE');
    const bug = new GraphQLError('oops', { originalError: new TypeError('x is undefined') });
    expect(outcomeOf(bug)).toBe('INTERNAL_SERVER_ERROR');
    expect(outcomeOf(maskError(bug, 'Unexpected error.', false))).toBe('INTERNAL_SERVER_ERROR');
    expect(outcomeOf(new GraphQLError('made up', { extensions: { code: 'SOMETHING_ELSE' }, originalError: new Error('x') }))).toBe('INTERNAL_SERVER_ERROR');
    expect(outcomeOf(new GraphQLError('Variable "$id" of required type "ID!" was not provided.'))).toBe('GRAPHQL_ERROR');
  });

  test('an operation counts under its type and first root field, ok or its first error, and each error by code', async () => {
    const metrics = new Metrics();
    const kindOf = operationKinds();
    const args = { document: parse('mutation Anything { sendMessage(roomId: "r", body: "b") { id } }') };
    countOperation(metrics, kindOf(args), 'http', undefined);
    countOperation(metrics, kindOf(args), 'http', undefined);
    countOperation(metrics, kindOf(args), 'ws', [userError(ErrorCode.RateLimited, 'slow down'), new Error('bug')]);
    const text = (await metrics.scrape()).text;
    expect(text).toContain('chat_operations_total{transport="http",type="mutation",operation="sendMessage",outcome="ok"} 2');
    expect(text).toContain('chat_operations_total{transport="ws",type="mutation",operation="sendMessage",outcome="RATE_LIMITED"} 1');
    expect(text).toContain('chat_graphql_errors_total{code="RATE_LIMITED"} 1');
    expect(text).toContain('chat_graphql_errors_total{code="INTERNAL_SERVER_ERROR"} 1');
  });
});
