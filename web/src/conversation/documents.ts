import { graphql } from '../gql';

/*
 * Every GraphQL document of the conversation screen. Each selection that returns a Message
 * spreads ConversationMessage, so whatever brings a message (history, a live event, a
 * mutation's answer) carries the same fields and graphcache updates the one entity by id.
 */

export const ConversationMessageDoc = graphql(`
  fragment ConversationMessage on Message {
    id
    cursor
    body
    createdAt
    editedAt
    deletedAt
    clientMessageId
    status
    author {
      id
      username
    }
    replyTo {
      id
      body
      deletedAt
      author {
        id
        username
      }
    }
    reactions {
      emoji
      count
      reactedByMe
    }
  }
`);

export const ConversationRoomQuery = graphql(`
  query ConversationRoom($id: ID!) {
    room(id: $id) {
      id
      kind
      name
      members {
        id
        username
        online
        lastSeenAt
      }
    }
  }
`);

/** A page of history, oldest first; `last` + `before` pages backwards from the newest. */
export const ConversationHistoryQuery = graphql(`
  query ConversationHistory($roomId: ID!, $last: Int!, $before: String) {
    messages(roomId: $roomId, last: $last, before: $before) {
      edges {
        cursor
        node {
          ...ConversationMessage
        }
      }
      pageInfo {
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

/** Fresh ticks of a stretch of messages, after a read marker moved. */
export const ConversationStatusesQuery = graphql(`
  query ConversationStatuses($roomId: ID!, $after: String, $first: Int, $last: Int) {
    messages(roomId: $roomId, after: $after, first: $first, last: $last) {
      edges {
        node {
          id
          status
        }
      }
    }
  }
`);

export const ConversationEventsSubscription = graphql(`
  subscription ConversationEvents($roomId: ID!, $after: String) {
    roomEvents(roomId: $roomId, after: $after) {
      cursor
      kind
      message {
        ...ConversationMessage
      }
    }
  }
`);

export const ConversationTypingSubscription = graphql(`
  subscription ConversationTyping($roomId: ID!) {
    typing(roomId: $roomId) {
      isTyping
      user {
        id
        username
      }
    }
  }
`);

export const ConversationMarkersSubscription = graphql(`
  subscription ConversationMarkers($roomId: ID!) {
    readMarkers(roomId: $roomId) {
      user {
        id
      }
      lastRead {
        id
      }
      lastDelivered {
        id
      }
    }
  }
`);

/** Its result lands in graphcache as the User entity, so the header's member updates by id. */
export const ConversationPresenceSubscription = graphql(`
  subscription ConversationPresence {
    presence {
      id
      online
      lastSeenAt
    }
  }
`);

export const SendMessageMutation = graphql(`
  mutation ConversationSend($roomId: ID!, $body: String!, $clientMessageId: String, $replyToId: ID) {
    sendMessage(roomId: $roomId, body: $body, clientMessageId: $clientMessageId, replyToId: $replyToId) {
      ...ConversationMessage
    }
  }
`);

export const EditMessageMutation = graphql(`
  mutation ConversationEdit($messageId: ID!, $body: String!) {
    editMessage(messageId: $messageId, body: $body) {
      ...ConversationMessage
    }
  }
`);

export const DeleteMessageMutation = graphql(`
  mutation ConversationDelete($messageId: ID!) {
    deleteMessage(messageId: $messageId) {
      ...ConversationMessage
    }
  }
`);

export const AddReactionMutation = graphql(`
  mutation ConversationAddReaction($messageId: ID!, $emoji: String!) {
    addReaction(messageId: $messageId, emoji: $emoji) {
      ...ConversationMessage
    }
  }
`);

export const RemoveReactionMutation = graphql(`
  mutation ConversationRemoveReaction($messageId: ID!, $emoji: String!) {
    removeReaction(messageId: $messageId, emoji: $emoji) {
      ...ConversationMessage
    }
  }
`);

export const SetTypingMutation = graphql(`
  mutation ConversationSetTyping($roomId: ID!, $isTyping: Boolean!) {
    setTyping(roomId: $roomId, isTyping: $isTyping)
  }
`);

/* The room's unreadCount rides along so graphcache updates the chat list's badge by id. */
export const MarkReadMutation = graphql(`
  mutation ConversationMarkRead($messageId: ID!) {
    markRead(messageId: $messageId) {
      room {
        id
        unreadCount
      }
    }
  }
`);

export const MarkDeliveredMutation = graphql(`
  mutation ConversationMarkDelivered($messageId: ID!) {
    markDelivered(messageId: $messageId) {
      room {
        id
      }
    }
  }
`);
