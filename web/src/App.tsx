import { AuthScreen } from './auth/AuthScreen';
import { ChatsPane } from './chats/ChatsPane';
import { JoinByLink } from './chats/JoinByLink';
import { ErrorBanner } from './client/ErrorBanner';
import { SessionGate } from './client/session';
import { ConversationScreen } from './conversation/ConversationScreen';
import { Header } from './Header';
import { navigate, useRoute } from './routes';

/** The app: the auth screen when signed out; signed in, the chat list and the open conversation. */
export function App() {
  return (
    <div className="app">
      <ErrorBanner />
      <SessionGate signedOut={(signIn) => <AuthScreen onSignedIn={signIn} />}>
        <SignedIn />
      </SessionGate>
    </div>
  );
}

function SignedIn() {
  const route = useRoute();
  const openRoomId = route.name === 'room' ? route.roomId : null;
  return (
    // On a phone-sized screen only one pane shows: `data-open` says which (see styles.css).
    <div className="shell" data-open={openRoomId ? 'conversation' : 'list'}>
      <aside className="pane pane-list">
        <Header />
        <ChatsPane activeRoomId={openRoomId} />
      </aside>
      <main className="pane pane-conversation">
        {route.name === 'join' && <JoinByLink roomId={route.roomId} />}
        {openRoomId ? (
          <ConversationScreen key={openRoomId} roomId={openRoomId} onBack={() => navigate('#/')} />
        ) : (
          route.name !== 'join' && <div className="empty-conversation">Select a chat to start messaging</div>
        )}
      </main>
    </div>
  );
}
