/* eslint-disable */
import * as types from './graphql';
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
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) { token user { id username } }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation CreateRoom($name: String!) {\n    createRoom(name: $name) { id name }\n  }\n": typeof types.CreateRoomDocument,
    "\n  mutation JoinRoom($roomId: ID!) {\n    joinRoom(roomId: $roomId) { id name }\n  }\n": typeof types.JoinRoomDocument,
    "\n  mutation SendMessage($roomId: ID!, $body: String!) {\n    sendMessage(roomId: $roomId, body: $body) { id cursor body }\n  }\n": typeof types.SendMessageDocument,
    "\n  query LatestMessages($roomId: ID!, $last: Int!) {\n    messages(roomId: $roomId, last: $last) {\n      edges { node { id cursor body author { username } } }\n    }\n  }\n": typeof types.LatestMessagesDocument,
    "\n  subscription RoomEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message { id body author { username } }\n    }\n  }\n": typeof types.RoomEventsDocument,
};
const documents: Documents = {
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) { token user { id username } }\n  }\n": types.RegisterDocument,
    "\n  mutation CreateRoom($name: String!) {\n    createRoom(name: $name) { id name }\n  }\n": types.CreateRoomDocument,
    "\n  mutation JoinRoom($roomId: ID!) {\n    joinRoom(roomId: $roomId) { id name }\n  }\n": types.JoinRoomDocument,
    "\n  mutation SendMessage($roomId: ID!, $body: String!) {\n    sendMessage(roomId: $roomId, body: $body) { id cursor body }\n  }\n": types.SendMessageDocument,
    "\n  query LatestMessages($roomId: ID!, $last: Int!) {\n    messages(roomId: $roomId, last: $last) {\n      edges { node { id cursor body author { username } } }\n    }\n  }\n": types.LatestMessagesDocument,
    "\n  subscription RoomEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message { id body author { username } }\n    }\n  }\n": types.RoomEventsDocument,
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
export function graphql(source: "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) { token user { id username } }\n  }\n"): (typeof documents)["\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) { token user { id username } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRoom($name: String!) {\n    createRoom(name: $name) { id name }\n  }\n"): (typeof documents)["\n  mutation CreateRoom($name: String!) {\n    createRoom(name: $name) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinRoom($roomId: ID!) {\n    joinRoom(roomId: $roomId) { id name }\n  }\n"): (typeof documents)["\n  mutation JoinRoom($roomId: ID!) {\n    joinRoom(roomId: $roomId) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($roomId: ID!, $body: String!) {\n    sendMessage(roomId: $roomId, body: $body) { id cursor body }\n  }\n"): (typeof documents)["\n  mutation SendMessage($roomId: ID!, $body: String!) {\n    sendMessage(roomId: $roomId, body: $body) { id cursor body }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LatestMessages($roomId: ID!, $last: Int!) {\n    messages(roomId: $roomId, last: $last) {\n      edges { node { id cursor body author { username } } }\n    }\n  }\n"): (typeof documents)["\n  query LatestMessages($roomId: ID!, $last: Int!) {\n    messages(roomId: $roomId, last: $last) {\n      edges { node { id cursor body author { username } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RoomEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message { id body author { username } }\n    }\n  }\n"): (typeof documents)["\n  subscription RoomEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message { id body author { username } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;