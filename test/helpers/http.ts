import type { TypedDocumentString } from '../gql/graphql';

/** A GraphQL error as clients see it. */
export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorJson[];
}

type Document<T, V> = TypedDocumentString<T, V> | string;

/** POSTs one operation with `fetch`, as a browser client would. */
export async function gql<T, V>(
  url: string,
  document: Document<T, V>,
  variables?: V,
  token?: string | null,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const text = await response.text();
  let json: { data?: T | null; errors?: GraphQLErrorJson[] } = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { errors: [{ message: text }] };
  }
  return { status: response.status, ...json };
}

/** The data of a successful operation; throws with the errors otherwise. */
export async function gqlData<T, V>(url: string, document: Document<T, V>, variables?: V, token?: string | null): Promise<T> {
  const result = await gql(url, document, variables, token);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}`);
  }
  return result.data;
}

/** The `extensions.code` of the first error (undefined when there is none). */
export function errorCode(result: { errors?: readonly GraphQLErrorJson[] | null }): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
