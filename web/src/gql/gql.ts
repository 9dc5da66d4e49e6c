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
    "\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      username\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": typeof types.LoginDocument,
    "\n  fragment ChatListRoom on Room {\n    id\n    kind\n    name\n    lastActivityAt\n    unreadCount\n    members {\n      id\n      username\n      online\n      lastSeenAt\n    }\n    lastMessage {\n      id\n      body\n      createdAt\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n  }\n": typeof types.ChatListRoomFragmentDoc,
    "\n  query ChatListRooms {\n    rooms {\n      ...ChatListRoom\n    }\n  }\n": typeof types.ChatListRoomsDocument,
    "\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n        unreadCount\n      }\n    }\n  }\n": typeof types.ChatListMessageAddedDocument,
    "\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n": typeof types.ChatListReadMarkersDocument,
    "\n  subscription ChatListPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n": typeof types.ChatListPresenceDocument,
    "\n  mutation CreateGroup($name: String!) {\n    createRoom(name: $name) {\n      ...ChatListRoom\n    }\n  }\n": typeof types.CreateGroupDocument,
    "\n  mutation JoinGroup($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      ...ChatListRoom\n    }\n  }\n": typeof types.JoinGroupDocument,
    "\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n": typeof types.FindUserDocument,
    "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n": typeof types.OpenDirectRoomDocument,
};
const documents: Documents = {
    "\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      username\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": types.LoginDocument,
    "\n  fragment ChatListRoom on Room {\n    id\n    kind\n    name\n    lastActivityAt\n    unreadCount\n    members {\n      id\n      username\n      online\n      lastSeenAt\n    }\n    lastMessage {\n      id\n      body\n      createdAt\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n  }\n": types.ChatListRoomFragmentDoc,
    "\n  query ChatListRooms {\n    rooms {\n      ...ChatListRoom\n    }\n  }\n": types.ChatListRoomsDocument,
    "\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n        unreadCount\n      }\n    }\n  }\n": types.ChatListMessageAddedDocument,
    "\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n": types.ChatListReadMarkersDocument,
    "\n  subscription ChatListPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n": types.ChatListPresenceDocument,
    "\n  mutation CreateGroup($name: String!) {\n    createRoom(name: $name) {\n      ...ChatListRoom\n    }\n  }\n": types.CreateGroupDocument,
    "\n  mutation JoinGroup($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      ...ChatListRoom\n    }\n  }\n": types.JoinGroupDocument,
    "\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n": types.FindUserDocument,
    "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n": types.OpenDirectRoomDocument,
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
export function graphql(source: "\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      username\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      username\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChatListRoom on Room {\n    id\n    kind\n    name\n    lastActivityAt\n    unreadCount\n    members {\n      id\n      username\n      online\n      lastSeenAt\n    }\n    lastMessage {\n      id\n      body\n      createdAt\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ChatListRoom on Room {\n    id\n    kind\n    name\n    lastActivityAt\n    unreadCount\n    members {\n      id\n      username\n      online\n      lastSeenAt\n    }\n    lastMessage {\n      id\n      body\n      createdAt\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatListRooms {\n    rooms {\n      ...ChatListRoom\n    }\n  }\n"): (typeof documents)["\n  query ChatListRooms {\n    rooms {\n      ...ChatListRoom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n        unreadCount\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n        unreadCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatListPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n"): (typeof documents)["\n  subscription ChatListPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateGroup($name: String!) {\n    createRoom(name: $name) {\n      ...ChatListRoom\n    }\n  }\n"): (typeof documents)["\n  mutation CreateGroup($name: String!) {\n    createRoom(name: $name) {\n      ...ChatListRoom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinGroup($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      ...ChatListRoom\n    }\n  }\n"): (typeof documents)["\n  mutation JoinGroup($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      ...ChatListRoom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n"): (typeof documents)["\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n"): (typeof documents)["\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;