import { useEffect, useState } from 'react';

/** Hash routes (no server fallback needed): `#/`, `#/room/<roomId>`, `#/join/<roomId>`. */
export type Route = { name: 'list' } | { name: 'room'; roomId: string } | { name: 'join'; roomId: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/(room|join)\/(.+)$/.exec(hash);
  if (!match) return { name: 'list' };
  return { name: match[1] as 'room' | 'join', roomId: decodeURIComponent(match[2]) };
}

export function roomHref(roomId: string): string {
  return `#/room/${encodeURIComponent(roomId)}`;
}

export function joinHref(roomId: string): string {
  return `#/join/${encodeURIComponent(roomId)}`;
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
