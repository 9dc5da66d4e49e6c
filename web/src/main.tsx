import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadAppConfig } from './client/app-config';
import './styles.css';

// Fetched while React renders: the WebSocket URL is ready by the time the session needs it.
loadAppConfig().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
