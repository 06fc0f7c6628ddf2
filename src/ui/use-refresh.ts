import { useEffect, useState } from 'react';

export interface Refreshed<T> {
  value: T | undefined;
  error: string | undefined;
  refreshedAt: number | undefined;
}

/**
 * Loads a value now and, when `intervalMs` is set, again after each load finishes (never two
 * loads at once, so a slow tmux cannot pile up queries). A value whose `key` equals the last
 * one's causes no re-render: an idle live view costs one query, not one frame, per tick.
 */
export function useRefresh<T>(load: () => Promise<T>, intervalMs: number | undefined, key: (value: T) => string = JSON.stringify, now: () => number = Date.now): Refreshed<T> {
  const [state, setState] = useState<Refreshed<T>>({ value: undefined, error: undefined, refreshedAt: undefined });
  useEffect(() => {
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    let lastKey: string | undefined;
    const tick = async () => {
      try {
        const value = await load();
        const valueKey = key(value);
        if (!cancelled && valueKey !== lastKey) {
          lastKey = valueKey;
          setState({ value, error: undefined, refreshedAt: now() });
        }
      } catch (error) {
        lastKey = undefined;
        if (!cancelled) setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
      }
      if (!cancelled && intervalMs !== undefined) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [load, intervalMs, key, now]);
  return state;
}
