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
    "\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n      }\n    }\n  }\n": typeof types.ChatListMessageAddedDocument,
    "\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n      }\n    }\n  }\n": typeof types.ChatListReadMarkersDocument,
    "\n  query ChatListRoomUnread($id: ID!) {\n    room(id: $id) {\n      id\n      unreadCount\n    }\n  }\n": typeof types.ChatListRoomUnreadDocument,
    "\n  subscription ChatListPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n": typeof types.ChatListPresenceDocument,
    "\n  mutation CreateGroup($name: String!) {\n    createRoom(name: $name) {\n      ...ChatListRoom\n    }\n  }\n": typeof types.CreateGroupDocument,
    "\n  mutation JoinGroup($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      ...ChatListRoom\n    }\n  }\n": typeof types.JoinGroupDocument,
    "\n  mutation LeaveGroup($roomId: ID!) {\n    leaveRoom(roomId: $roomId)\n  }\n": typeof types.LeaveGroupDocument,
    "\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n": typeof types.FindUserDocument,
    "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n": typeof types.OpenDirectRoomDocument,
    "\n  fragment ChatListUnreadBump on Room {\n    id\n    unreadCount\n  }\n": typeof types.ChatListUnreadBumpFragmentDoc,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  fragment ConversationMessage on Message {\n    id\n    cursor\n    body\n    createdAt\n    editedAt\n    deletedAt\n    clientMessageId\n    status\n    author {\n      id\n      username\n    }\n    replyTo {\n      id\n      body\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n  }\n": typeof types.ConversationMessageFragmentDoc,
    "\n  query ConversationRoom($id: ID!) {\n    room(id: $id) {\n      id\n      kind\n      name\n      members {\n        id\n        username\n        online\n        lastSeenAt\n      }\n    }\n  }\n": typeof types.ConversationRoomDocument,
    "\n  query ConversationHistory($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...ConversationMessage\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ConversationHistoryDocument,
    "\n  query ConversationStatuses($roomId: ID!, $after: String, $first: Int, $last: Int) {\n    messages(roomId: $roomId, after: $after, first: $first, last: $last) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.ConversationStatusesDocument,
    "\n  subscription ConversationEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message {\n        ...ConversationMessage\n      }\n    }\n  }\n": typeof types.ConversationEventsDocument,
    "\n  subscription ConversationTyping($roomId: ID!) {\n    typing(roomId: $roomId) {\n      isTyping\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.ConversationTypingDocument,
    "\n  subscription ConversationMarkers($roomId: ID!) {\n    readMarkers(roomId: $roomId) {\n      user {\n        id\n      }\n      lastRead {\n        id\n      }\n      lastDelivered {\n        id\n      }\n    }\n  }\n": typeof types.ConversationMarkersDocument,
    "\n  subscription ConversationPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n": typeof types.ConversationPresenceDocument,
    "\n  mutation ConversationSend($roomId: ID!, $body: String!, $clientMessageId: String, $replyToId: ID) {\n    sendMessage(roomId: $roomId, body: $body, clientMessageId: $clientMessageId, replyToId: $replyToId) {\n      ...ConversationMessage\n    }\n  }\n": typeof types.ConversationSendDocument,
    "\n  mutation ConversationEdit($messageId: ID!, $body: String!) {\n    editMessage(messageId: $messageId, body: $body) {\n      ...ConversationMessage\n    }\n  }\n": typeof types.ConversationEditDocument,
    "\n  mutation ConversationDelete($messageId: ID!) {\n    deleteMessage(messageId: $messageId) {\n      ...ConversationMessage\n    }\n  }\n": typeof types.ConversationDeleteDocument,
    "\n  mutation ConversationAddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n": typeof types.ConversationAddReactionDocument,
    "\n  mutation ConversationRemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n": typeof types.ConversationRemoveReactionDocument,
    "\n  mutation ConversationSetTyping($roomId: ID!, $isTyping: Boolean!) {\n    setTyping(roomId: $roomId, isTyping: $isTyping)\n  }\n": typeof types.ConversationSetTypingDocument,
    "\n  mutation ConversationMarkRead($messageId: ID!) {\n    markRead(messageId: $messageId) {\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n": typeof types.ConversationMarkReadDocument,
    "\n  mutation ConversationMarkDelivered($messageId: ID!) {\n    markDelivered(messageId: $messageId) {\n      room {\n        id\n      }\n    }\n  }\n": typeof types.ConversationMarkDeliveredDocument,
};
const documents: Documents = {
    "\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      username\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": types.LoginDocument,
    "\n  fragment ChatListRoom on Room {\n    id\n    kind\n    name\n    lastActivityAt\n    unreadCount\n    members {\n      id\n      username\n      online\n      lastSeenAt\n    }\n    lastMessage {\n      id\n      body\n      createdAt\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n  }\n": types.ChatListRoomFragmentDoc,
    "\n  query ChatListRooms {\n    rooms {\n      ...ChatListRoom\n    }\n  }\n": types.ChatListRoomsDocument,
    "\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n      }\n    }\n  }\n": types.ChatListMessageAddedDocument,
    "\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n      }\n    }\n  }\n": types.ChatListReadMarkersDocument,
    "\n  query ChatListRoomUnread($id: ID!) {\n    room(id: $id) {\n      id\n      unreadCount\n    }\n  }\n": types.ChatListRoomUnreadDocument,
    "\n  subscription ChatListPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n": types.ChatListPresenceDocument,
    "\n  mutation CreateGroup($name: String!) {\n    createRoom(name: $name) {\n      ...ChatListRoom\n    }\n  }\n": types.CreateGroupDocument,
    "\n  mutation JoinGroup($roomId: ID!) {\n    joinRoom(roomId: $roomId) {\n      ...ChatListRoom\n    }\n  }\n": types.JoinGroupDocument,
    "\n  mutation LeaveGroup($roomId: ID!) {\n    leaveRoom(roomId: $roomId)\n  }\n": types.LeaveGroupDocument,
    "\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n": types.FindUserDocument,
    "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n": types.OpenDirectRoomDocument,
    "\n  fragment ChatListUnreadBump on Room {\n    id\n    unreadCount\n  }\n": types.ChatListUnreadBumpFragmentDoc,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  fragment ConversationMessage on Message {\n    id\n    cursor\n    body\n    createdAt\n    editedAt\n    deletedAt\n    clientMessageId\n    status\n    author {\n      id\n      username\n    }\n    replyTo {\n      id\n      body\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n  }\n": types.ConversationMessageFragmentDoc,
    "\n  query ConversationRoom($id: ID!) {\n    room(id: $id) {\n      id\n      kind\n      name\n      members {\n        id\n        username\n        online\n        lastSeenAt\n      }\n    }\n  }\n": types.ConversationRoomDocument,
    "\n  query ConversationHistory($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...ConversationMessage\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ConversationHistoryDocument,
    "\n  query ConversationStatuses($roomId: ID!, $after: String, $first: Int, $last: Int) {\n    messages(roomId: $roomId, after: $after, first: $first, last: $last) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.ConversationStatusesDocument,
    "\n  subscription ConversationEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message {\n        ...ConversationMessage\n      }\n    }\n  }\n": types.ConversationEventsDocument,
    "\n  subscription ConversationTyping($roomId: ID!) {\n    typing(roomId: $roomId) {\n      isTyping\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.ConversationTypingDocument,
    "\n  subscription ConversationMarkers($roomId: ID!) {\n    readMarkers(roomId: $roomId) {\n      user {\n        id\n      }\n      lastRead {\n        id\n      }\n      lastDelivered {\n        id\n      }\n    }\n  }\n": types.ConversationMarkersDocument,
    "\n  subscription ConversationPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n": types.ConversationPresenceDocument,
    "\n  mutation ConversationSend($roomId: ID!, $body: String!, $clientMessageId: String, $replyToId: ID) {\n    sendMessage(roomId: $roomId, body: $body, clientMessageId: $clientMessageId, replyToId: $replyToId) {\n      ...ConversationMessage\n    }\n  }\n": types.ConversationSendDocument,
    "\n  mutation ConversationEdit($messageId: ID!, $body: String!) {\n    editMessage(messageId: $messageId, body: $body) {\n      ...ConversationMessage\n    }\n  }\n": types.ConversationEditDocument,
    "\n  mutation ConversationDelete($messageId: ID!) {\n    deleteMessage(messageId: $messageId) {\n      ...ConversationMessage\n    }\n  }\n": types.ConversationDeleteDocument,
    "\n  mutation ConversationAddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n": types.ConversationAddReactionDocument,
    "\n  mutation ConversationRemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n": types.ConversationRemoveReactionDocument,
    "\n  mutation ConversationSetTyping($roomId: ID!, $isTyping: Boolean!) {\n    setTyping(roomId: $roomId, isTyping: $isTyping)\n  }\n": types.ConversationSetTypingDocument,
    "\n  mutation ConversationMarkRead($messageId: ID!) {\n    markRead(messageId: $messageId) {\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n": types.ConversationMarkReadDocument,
    "\n  mutation ConversationMarkDelivered($messageId: ID!) {\n    markDelivered(messageId: $messageId) {\n      room {\n        id\n      }\n    }\n  }\n": types.ConversationMarkDeliveredDocument,
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
export function graphql(source: "\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatListMessageAdded {\n    messageAdded {\n      id\n      body\n      createdAt\n      deletedAt\n      cursor\n      author {\n        id\n        username\n      }\n      room {\n        id\n        lastActivityAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatListReadMarkers {\n    readMarkers {\n      user {\n        id\n      }\n      room {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatListRoomUnread($id: ID!) {\n    room(id: $id) {\n      id\n      unreadCount\n    }\n  }\n"): (typeof documents)["\n  query ChatListRoomUnread($id: ID!) {\n    room(id: $id) {\n      id\n      unreadCount\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation LeaveGroup($roomId: ID!) {\n    leaveRoom(roomId: $roomId)\n  }\n"): (typeof documents)["\n  mutation LeaveGroup($roomId: ID!) {\n    leaveRoom(roomId: $roomId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n"): (typeof documents)["\n  query FindUser($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      online\n      lastSeenAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n"): (typeof documents)["\n  mutation OpenDirectRoom($userId: ID!) {\n    openDirectRoom(userId: $userId) {\n      ...ChatListRoom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChatListUnreadBump on Room {\n    id\n    unreadCount\n  }\n"): (typeof documents)["\n  fragment ChatListUnreadBump on Room {\n    id\n    unreadCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConversationMessage on Message {\n    id\n    cursor\n    body\n    createdAt\n    editedAt\n    deletedAt\n    clientMessageId\n    status\n    author {\n      id\n      username\n    }\n    replyTo {\n      id\n      body\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n  }\n"): (typeof documents)["\n  fragment ConversationMessage on Message {\n    id\n    cursor\n    body\n    createdAt\n    editedAt\n    deletedAt\n    clientMessageId\n    status\n    author {\n      id\n      username\n    }\n    replyTo {\n      id\n      body\n      deletedAt\n      author {\n        id\n        username\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationRoom($id: ID!) {\n    room(id: $id) {\n      id\n      kind\n      name\n      members {\n        id\n        username\n        online\n        lastSeenAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConversationRoom($id: ID!) {\n    room(id: $id) {\n      id\n      kind\n      name\n      members {\n        id\n        username\n        online\n        lastSeenAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationHistory($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...ConversationMessage\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConversationHistory($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...ConversationMessage\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationStatuses($roomId: ID!, $after: String, $first: Int, $last: Int) {\n    messages(roomId: $roomId, after: $after, first: $first, last: $last) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConversationStatuses($roomId: ID!, $after: String, $first: Int, $last: Int) {\n    messages(roomId: $roomId, after: $after, first: $first, last: $last) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message {\n        ...ConversationMessage\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationEvents($roomId: ID!, $after: String) {\n    roomEvents(roomId: $roomId, after: $after) {\n      cursor\n      kind\n      message {\n        ...ConversationMessage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationTyping($roomId: ID!) {\n    typing(roomId: $roomId) {\n      isTyping\n      user {\n        id\n        username\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationTyping($roomId: ID!) {\n    typing(roomId: $roomId) {\n      isTyping\n      user {\n        id\n        username\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationMarkers($roomId: ID!) {\n    readMarkers(roomId: $roomId) {\n      user {\n        id\n      }\n      lastRead {\n        id\n      }\n      lastDelivered {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationMarkers($roomId: ID!) {\n    readMarkers(roomId: $roomId) {\n      user {\n        id\n      }\n      lastRead {\n        id\n      }\n      lastDelivered {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationPresence {\n    presence {\n      id\n      online\n      lastSeenAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationSend($roomId: ID!, $body: String!, $clientMessageId: String, $replyToId: ID) {\n    sendMessage(roomId: $roomId, body: $body, clientMessageId: $clientMessageId, replyToId: $replyToId) {\n      ...ConversationMessage\n    }\n  }\n"): (typeof documents)["\n  mutation ConversationSend($roomId: ID!, $body: String!, $clientMessageId: String, $replyToId: ID) {\n    sendMessage(roomId: $roomId, body: $body, clientMessageId: $clientMessageId, replyToId: $replyToId) {\n      ...ConversationMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationEdit($messageId: ID!, $body: String!) {\n    editMessage(messageId: $messageId, body: $body) {\n      ...ConversationMessage\n    }\n  }\n"): (typeof documents)["\n  mutation ConversationEdit($messageId: ID!, $body: String!) {\n    editMessage(messageId: $messageId, body: $body) {\n      ...ConversationMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationDelete($messageId: ID!) {\n    deleteMessage(messageId: $messageId) {\n      ...ConversationMessage\n    }\n  }\n"): (typeof documents)["\n  mutation ConversationDelete($messageId: ID!) {\n    deleteMessage(messageId: $messageId) {\n      ...ConversationMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationAddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n"): (typeof documents)["\n  mutation ConversationAddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationRemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n"): (typeof documents)["\n  mutation ConversationRemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      ...ConversationMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationSetTyping($roomId: ID!, $isTyping: Boolean!) {\n    setTyping(roomId: $roomId, isTyping: $isTyping)\n  }\n"): (typeof documents)["\n  mutation ConversationSetTyping($roomId: ID!, $isTyping: Boolean!) {\n    setTyping(roomId: $roomId, isTyping: $isTyping)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationMarkRead($messageId: ID!) {\n    markRead(messageId: $messageId) {\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConversationMarkRead($messageId: ID!) {\n    markRead(messageId: $messageId) {\n      room {\n        id\n        unreadCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConversationMarkDelivered($messageId: ID!) {\n    markDelivered(messageId: $messageId) {\n      room {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConversationMarkDelivered($messageId: ID!) {\n    markDelivered(messageId: $messageId) {\n      room {\n        id\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;