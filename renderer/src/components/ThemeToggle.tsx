import { useActions, useAppStore } from '../appContext.js';
import { selectTheme } from '../state/selectors.js';
import { parseThemePreference } from '../state/theme.js';
import './topBar.css';

export function ThemeToggle() {
  const theme = useAppStore(selectTheme);
  const { setTheme } = useActions();
  return (
    <select
      className="theme-toggle"
      aria-label="Theme"
      title="Theme"
      value={theme}
      onChange={(event) => setTheme(parseThemePreference(event.target.value))}
    >
      <option value="system">System theme</option>
      <option value="light">Light</option>
      <option value="dark">Dark</option>
    </select>
  );
}
