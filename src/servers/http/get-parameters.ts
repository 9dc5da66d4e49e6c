import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';

/** The GET parameters Yoga reads with a bare `JSON.parse` (graphql-yoga request-parser/utils.ts). */
const jsonParameters = ['variables', 'extensions'] as const;

/**
 * Refuses a GET whose `variables` or `extensions` parameter is not JSON with 400
 * `BAD_REQUEST`, as Yoga answers a POST body that is not JSON. Yoga parses those two
 * parameters without a try, so its SyntaxError surfaced as a masked 500 and an error log
 * line per request (found by test/fuzz-servers.test.ts): a client's mistake, not ours.
 */
export function useValidGetParameters(): Plugin {
  return {
    onRequestParse({ request, url }) {
      if (request.method !== 'GET') return;
      for (const name of jsonParameters) {
        const value = url.searchParams.get(name);
        if (value && !isJson(value)) {
          throw createGraphQLError(`The ${name} parameter is not valid JSON.`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      }
    },
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
