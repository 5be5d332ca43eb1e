/**
 * Renderer entry: find the bridge, apply the theme, mount the app.
 *
 * Marks `patchbay:start` so end-to-end tests can measure the first render of a large list.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { findBridge } from './bridge';
import { applySavedTheme } from './components/theme-picker';
import './styles.css';

performance.mark('patchbay:start');
applySavedTheme();
const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
const api = findBridge();
const root = createRoot(rootElement);
if (api) {
  root.render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
} else {
  root.render(
    <main className="page">
      <h1>Patchbay</h1>
      <p role="alert">
        This page needs the address Patchbay printed when it started (it ends with <code>#key=…</code>). Open that
        address, or run <code>npm run web</code> again.
      </p>
    </main>,
  );
}
