// The live stream: ledger events (`message`, with `id` = seq, so a reconnect resumes with
// Last-Event-ID) and the run's recomputed view (`play`). The browser reconnects by itself after a
// network error; a refused stream (the server restarted, a session expired) is retried here.

const RETRY_MS = 5000;

export function openStream(makeUrl, { onEvent, onPlay, onState }) {
  let source = null;
  let timer = null;
  let stopped = false;

  const connect = () => {
    onState('connecting');
    source = new EventSource(makeUrl());
    source.onopen = () => onState('live');
    source.onmessage = (message) => onEvent(JSON.parse(message.data));
    source.addEventListener('play', (message) => onPlay(JSON.parse(message.data)));
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return onState('reconnecting');
      onState('offline');
      if (!stopped) timer = setTimeout(connect, RETRY_MS);
    };
  };
  connect();

  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
