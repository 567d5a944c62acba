/// <reference lib="dom" />
/**
 * `adminjs-single-session/browser`: the browser side of the live sign-out, for a host's own pages. A plain ES
 * module with no imports (bundle it, or serve `dist/src/browser.js` as it is):
 *
 *   import { watchSession } from 'adminjs-single-session/browser';
 *   watchSession({ url: '/session/live', onEnded: ({ reason }) => showSignedOut(reason) });
 *
 * It opens the stream (`EventSource`, which reconnects by itself after a network blip) and, when the session ends,
 * calls `onEnded` once and tells the other tabs of this browser (BroadcastChannel, or the `storage` event where
 * there is none), whose `watchSession` calls their `onEnded` too — also a tab whose own stream was closed.
 */

/** What `onEnded` is told. */
export interface SessionEnded {
  /** Why the session ended, as the server's end note says it (`replaced`, `revoked`, `idle`, `lifetime`, …); null: unknown. */
  reason: string | null;
  /** Anything else the stream's server side adds (the AdminJS panel: `message`, a translation key). */
  [key: string]: unknown;
}

/** Options of `watchSession`. */
export interface WatchSessionOptions {
  /** The stream's URL: where the host mounted `singleSession.liveSignOut()`. Default `/session/live`. */
  url?: string;
  /** Called once when this browser's session ended (told by the stream, or by another tab). */
  onEnded: (ended: SessionEnded) => void;
  /** Called when the server refused the stream (not signed in, another site): nothing to watch. */
  onRefused?: () => void;
  /** The name other tabs listen on; tabs that share a cookie should share it. Default `adminjs-single-session`. */
  channel?: string;
}

/** A watch; `close()` stops it (e.g. on your own logout). */
export interface SessionWatch {
  /** Stops watching: closes the stream and stops listening to the other tabs. */
  close(): void;
}

/**
 * Watches this browser's session: opens the live sign-out stream at `url` and calls `onEnded` once, with the
 * reason, when the server ends the session (or another tab of this browser was told so).
 */
export function watchSession({ url = '/session/live', onEnded, onRefused, channel = 'adminjs-single-session' }: WatchSessionOptions): SessionWatch {
  const storageKey = `${channel}:ended`;
  const broadcast = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channel) : null;
  const source = new EventSource(url);
  let done = false;

  const stop = () => {
    done = true;
    source.close();
    broadcast?.close();
    window.removeEventListener('storage', onStorage);
  };
  const finish = (ended: SessionEnded, toOthers: boolean) => {
    if (done) return;
    stop();
    if (toOthers) {
      if (broadcast) new BroadcastChannel(channel).postMessage(ended);
      else try {
        localStorage.setItem(storageKey, JSON.stringify({ ...ended, at: Date.now() }));
      } catch { /* storage off: the other tabs' own streams still tell them */ }
    }
    onEnded(ended);
  };
  function onStorage(event: StorageEvent) {
    if (event.key !== storageKey || !event.newValue) return;
    try {
      finish(JSON.parse(event.newValue) as SessionEnded, false);
    } catch { /* not ours */ }
  }

  source.addEventListener('ended', (event) => {
    let ended: SessionEnded = { reason: null };
    try {
      ended = JSON.parse((event as MessageEvent<string>).data) as SessionEnded;
    } catch { /* keep the generic ending */ }
    finish(ended, true);
  });
  // A refusal (401, 403) closes an EventSource for good; a dropped connection only makes it reconnect.
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED && !done) {
      stop();
      onRefused?.();
    }
  });
  if (broadcast) broadcast.onmessage = (message: MessageEvent<SessionEnded>) => finish(message.data, false);
  else window.addEventListener('storage', onStorage);
  return { close: stop };
}
