/**
 * The engine's API token. `logscope serve` (and the desktop app) open the UI with
 * `#token=…` in the URL; we keep it in sessionStorage (gone with the tab) and take it out of
 * the address bar so it is not bookmarked, shared or shown.
 */
const STORAGE_KEY = 'logscope.token';

export function takeTokenFromLocation(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  sessionStorage.setItem(STORAGE_KEY, decodeURIComponent(match[1]!));
  const rest = window.location.hash.replace(/(^#|&)token=[^&]+/, '').replace(/^#?&?/, '');
  const clean = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
  window.history.replaceState(window.history.state, '', clean);
}

export function apiToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}
