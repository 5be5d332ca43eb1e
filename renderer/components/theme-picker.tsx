/**
 * Light, dark or follow the system: a labelled select, remembered in this browser.
 *
 * The choice sets `data-theme` on <html>; the stylesheet maps "system" to prefers-color-scheme.
 */
import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const STORAGE = 'patchbay-theme';

function readTheme(): Theme {
  try {
    const saved = localStorage.getItem(STORAGE);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  } catch {
    return 'system';
  }
}

/** Apply the saved theme before the first paint (called from main.tsx). */
export function applySavedTheme(): void {
  document.documentElement.dataset.theme = readTheme();
}

/** The theme select in the toolbar. */
export function ThemePicker() {
  const [theme, setTheme] = useState<Theme>(readTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem(STORAGE, theme);
    } catch {
      // Storage may be disabled; the choice then lasts for this page only.
    }
  }, [theme]);
  return (
    <label className="theme-picker">
      <span className="theme-word">Theme</span>{' '}
      <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
        <option value="system">Same as system</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
