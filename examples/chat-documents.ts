/**
 * The operations both client examples send (apollo-client.ts, urql-client.ts). `graphql()`
 * returns a typed DocumentNode generated from schema.graphql (`npm run codegen`): results
 * and variables are checked by TypeScript, no hand-written types.
 */
import { graphql } from './gql';

export const RegisterDoc = graphql(`
  mutation Register($username: String!, $password: String!) {
    register(username: $username, password: $password) { token user { id username } }
  }
`);

export const CreateRoomDoc = graphql(`
  mutation CreateRoom($name: String!) {
    createRoom(name: $name) { id name }
  }
`);

export const JoinRoomDoc = graphql(`
  mutation JoinRoom($roomId: ID!) {
    joinRoom(roomId: $roomId) { id name }
  }
`);

export const SendMessageDoc = graphql(`
  mutation SendMessage($roomId: ID!, $body: String!) {
    sendMessage(roomId: $roomId, body: $body) { id cursor body }
  }
`);

/** The newest messages of a room: what a chat screen shows first, and the cursor to follow it from. */
export const LatestMessagesDoc = graphql(`
  query LatestMessages($roomId: ID!, $last: Int!) {
    messages(roomId: $roomId, last: $last) {
      edges { node { id cursor body author { username } } }
    }
  }
`);

/** Every change to a room's messages; with `after` (a cursor), the missed ones first, then live ones. */
export const RoomEventsDoc = graphql(`
  subscription RoomEvents($roomId: ID!, $after: String) {
    roomEvents(roomId: $roomId, after: $after) {
      cursor
      kind
      message { id body author { username } }
    }
  }
`);
