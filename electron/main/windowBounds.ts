/** Where the window opens: where it was, if that is still on a screen; else centred. */
import type { WindowState } from './settingsStore';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 };

/** How much of a window must be on a screen to count as visible. */
const MIN_VISIBLE = 100;

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The bounds to open with, given the saved state and the work areas of the screens now attached
 * (the primary first). A window saved on a monitor that is gone opens centred on the primary.
 */
export function restoreBounds(
  saved: WindowState | null,
  workAreas: Rectangle[],
): Rectangle & { maximized: boolean } {
  if (saved) {
    const visible = workAreas.some((area) => {
      const shared = overlap(saved, area);
      return shared.width >= MIN_VISIBLE && shared.height >= MIN_VISIBLE;
    });
    if (visible) return { ...saved };
  }
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const width = Math.min(DEFAULT_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_SIZE.height, primary.height);
  return {
    x: Math.round(primary.x + (primary.width - width) / 2),
    y: Math.round(primary.y + (primary.height - height) / 2),
    width,
    height,
    maximized: saved?.maximized ?? false,
  };
}
