/* eslint-disable */
import * as types from './graphql';



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
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      token\n      expiresAt\n      user { id username createdAt }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      expiresAt\n      user { id username createdAt }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Me {\n    me { id username createdAt }\n  }\n": typeof types.MeDocument,
    "\n  query UserByUsername($username: String!) {\n    userByUsername(username: $username) { id username createdAt }\n  }\n": typeof types.UserByUsernameDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { username }\n      ... on Room { kind name }\n      ... on Message { body author { id } room { id } }\n    }\n  }\n": typeof types.NodeDocument,
    "\n  mutation CreateRoom($name: String!) {\n    createRoom(name: $name) {\n      id kind name createdAt\n      members { id username }\n    }\n  }\n": typeof types.CreateRoomDocument,
    "\n  mutation JoinRoom($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      id kind name\n      members { id username }\n    }\n  }\n": typeof types.JoinRoomDocument,
    "\n  mutation LeaveRoom($roomId: ID!) {\n    leaveRoom(roomId: $roomId)\n  }\n": typeof types.LeaveRoomDocument,
    "\n  query Rooms {\n    rooms { id kind name members { id username } }\n  }\n": typeof types.RoomsDocument,
    "\n  query Room($id: ID!) {\n    room(id: $id) { id kind name createdAt members { id username } }\n  }\n": typeof types.RoomDocument,
    "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      id kind name\n      members { id username }\n    }\n  }\n": typeof types.OpenDirectRoomDocument,
    "\n  mutation SendMessage($roomId: ID!, $body: String!) {\n    sendMessage(roomId: $roomId, body: $body) {\n      id body createdAt\n      author { id username }\n      room { id kind name }\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  query Messages($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { id body createdAt author { id username } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.MessagesDocument,
    "\n  query RoomMessages($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    room(id: $id) {\n      id\n      messages(first: $first, after: $after, last: $last, before: $before) {\n        edges { cursor node { id body } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": typeof types.RoomMessagesDocument,
    "\n  mutation SetTyping($roomId: ID!, $isTyping: Boolean!) {\n    setTyping(roomId: $roomId, isTyping: $isTyping)\n  }\n": typeof types.SetTypingDocument,
    "\n  subscription MessageAdded($roomId: ID) {\n    messageAdded(roomId: $roomId) {\n      id body createdAt\n      author { id username }\n      room { id kind name }\n    }\n  }\n": typeof types.MessageAddedDocument,
    "\n  subscription Typing($roomId: ID!) {\n    typing(roomId: $roomId) {\n      isTyping\n      user { id username }\n      room { id }\n    }\n  }\n": typeof types.TypingDocument,
    "\n  query UserPresence($id: ID!) {\n    node(id: $id) { ... on User { id online lastSeenAt } }\n  }\n": typeof types.UserPresenceDocument,
    "\n  subscription Presence {\n    presence { id username online lastSeenAt }\n  }\n": typeof types.PresenceDocument,
    "\n  fragment SessionPayloadFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user { id }\n  }\n": typeof types.SessionPayloadFieldsFragmentDoc,
    "\n  mutation RegisterSession($username: String!, $password: String!) {\n    register(username: $username, password: $password) { ...SessionPayloadFields }\n  }\n": typeof types.RegisterSessionDocument,
    "\n  mutation LoginSession($username: String!, $password: String!) {\n    login(username: $username, password: $password) { ...SessionPayloadFields }\n  }\n": typeof types.LoginSessionDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { ...SessionPayloadFields user { username } }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
};
const documents: Documents = {
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      token\n      expiresAt\n      user { id username createdAt }\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      expiresAt\n      user { id username createdAt }\n    }\n  }\n": types.LoginDocument,
    "\n  query Me {\n    me { id username createdAt }\n  }\n": types.MeDocument,
    "\n  query UserByUsername($username: String!) {\n    userByUsername(username: $username) { id username createdAt }\n  }\n": types.UserByUsernameDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { username }\n      ... on Room { kind name }\n      ... on Message { body author { id } room { id } }\n    }\n  }\n": types.NodeDocument,
    "\n  mutation CreateRoom($name: String!) {\n    createRoom(name: $name) {\n      id kind name createdAt\n      members { id username }\n    }\n  }\n": types.CreateRoomDocument,
    "\n  mutation JoinRoom($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      id kind name\n      members { id username }\n    }\n  }\n": types.JoinRoomDocument,
    "\n  mutation LeaveRoom($roomId: ID!) {\n    leaveRoom(roomId: $roomId)\n  }\n": types.LeaveRoomDocument,
    "\n  query Rooms {\n    rooms { id kind name members { id username } }\n  }\n": types.RoomsDocument,
    "\n  query Room($id: ID!) {\n    room(id: $id) { id kind name createdAt members { id username } }\n  }\n": types.RoomDocument,
    "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      id kind name\n      members { id username }\n    }\n  }\n": types.OpenDirectRoomDocument,
    "\n  mutation SendMessage($roomId: ID!, $body: String!) {\n    sendMessage(roomId: $roomId, body: $body) {\n      id body createdAt\n      author { id username }\n      room { id kind name }\n    }\n  }\n": types.SendMessageDocument,
    "\n  query Messages($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { id body createdAt author { id username } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.MessagesDocument,
    "\n  query RoomMessages($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    room(id: $id) {\n      id\n      messages(first: $first, after: $after, last: $last, before: $before) {\n        edges { cursor node { id body } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": types.RoomMessagesDocument,
    "\n  mutation SetTyping($roomId: ID!, $isTyping: Boolean!) {\n    setTyping(roomId: $roomId, isTyping: $isTyping)\n  }\n": types.SetTypingDocument,
    "\n  subscription MessageAdded($roomId: ID) {\n    messageAdded(roomId: $roomId) {\n      id body createdAt\n      author { id username }\n      room { id kind name }\n    }\n  }\n": types.MessageAddedDocument,
    "\n  subscription Typing($roomId: ID!) {\n    typing(roomId: $roomId) {\n      isTyping\n      user { id username }\n      room { id }\n    }\n  }\n": types.TypingDocument,
    "\n  query UserPresence($id: ID!) {\n    node(id: $id) { ... on User { id online lastSeenAt } }\n  }\n": types.UserPresenceDocument,
    "\n  subscription Presence {\n    presence { id username online lastSeenAt }\n  }\n": types.PresenceDocument,
    "\n  fragment SessionPayloadFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user { id }\n  }\n": types.SessionPayloadFieldsFragmentDoc,
    "\n  mutation RegisterSession($username: String!, $password: String!) {\n    register(username: $username, password: $password) { ...SessionPayloadFields }\n  }\n": types.RegisterSessionDocument,
    "\n  mutation LoginSession($username: String!, $password: String!) {\n    login(username: $username, password: $password) { ...SessionPayloadFields }\n  }\n": types.LoginSessionDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { ...SessionPayloadFields user { username } }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      token\n      expiresAt\n      user { id username createdAt }\n    }\n  }\n"): typeof import('./graphql').RegisterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      expiresAt\n      user { id username createdAt }\n    }\n  }\n"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id username createdAt }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserByUsername($username: String!) {\n    userByUsername(username: $username) { id username createdAt }\n  }\n"): typeof import('./graphql').UserByUsernameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { username }\n      ... on Room { kind name }\n      ... on Message { body author { id } room { id } }\n    }\n  }\n"): typeof import('./graphql').NodeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRoom($name: String!) {\n    createRoom(name: $name) {\n      id kind name createdAt\n      members { id username }\n    }\n  }\n"): typeof import('./graphql').CreateRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinRoom($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      id kind name\n      members { id username }\n    }\n  }\n"): typeof import('./graphql').JoinRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveRoom($roomId: ID!) {\n    leaveRoom(roomId: $roomId)\n  }\n"): typeof import('./graphql').LeaveRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rooms {\n    rooms { id kind name members { id username } }\n  }\n"): typeof import('./graphql').RoomsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Room($id: ID!) {\n    room(id: $id) { id kind name createdAt members { id username } }\n  }\n"): typeof import('./graphql').RoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      id kind name\n      members { id username }\n    }\n  }\n"): typeof import('./graphql').OpenDirectRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($roomId: ID!, $body: String!) {\n    sendMessage(roomId: $roomId, body: $body) {\n      id body createdAt\n      author { id username }\n      room { id kind name }\n    }\n  }\n"): typeof import('./graphql').SendMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Messages($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { id body createdAt author { id username } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): typeof import('./graphql').MessagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RoomMessages($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    room(id: $id) {\n      id\n      messages(first: $first, after: $after, last: $last, before: $before) {\n        edges { cursor node { id body } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql').RoomMessagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($roomId: ID!, $isTyping: Boolean!) {\n    setTyping(roomId: $roomId, isTyping: $isTyping)\n  }\n"): typeof import('./graphql').SetTypingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageAdded($roomId: ID) {\n    messageAdded(roomId: $roomId) {\n      id body createdAt\n      author { id username }\n      room { id kind name }\n    }\n  }\n"): typeof import('./graphql').MessageAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Typing($roomId: ID!) {\n    typing(roomId: $roomId) {\n      isTyping\n      user { id username }\n      room { id }\n    }\n  }\n"): typeof import('./graphql').TypingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserPresence($id: ID!) {\n    node(id: $id) { ... on User { id online lastSeenAt } }\n  }\n"): typeof import('./graphql').UserPresenceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Presence {\n    presence { id username online lastSeenAt }\n  }\n"): typeof import('./graphql').PresenceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionPayloadFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user { id }\n  }\n"): typeof import('./graphql').SessionPayloadFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterSession($username: String!, $password: String!) {\n    register(username: $username, password: $password) { ...SessionPayloadFields }\n  }\n"): typeof import('./graphql').RegisterSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginSession($username: String!, $password: String!) {\n    login(username: $username, password: $password) { ...SessionPayloadFields }\n  }\n"): typeof import('./graphql').LoginSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { ...SessionPayloadFields user { username } }\n  }\n"): typeof import('./graphql').RefreshSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): typeof import('./graphql').LogoutDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
