/**
 * render_1000_ms and renderer_js_gzip_kb.
 *
 * The built renderer is served by the real web host over a home seeded with 1,000 connections
 * (spread over five providers, some needing a new sign-in) and opened in Debian's Chromium through
 * Playwright. "First render" is what a person sees first, measured inside the page: from the moment
 * the `connections:list` answer has fully arrived (a wrapped `fetch` reads the whole body) to the
 * first painted frame of the complete first view, i.e. EVERY provider section that has connections
 * shows its summary in words (e.g. "200 connections · 188 working · 12 need you to sign in again",
 * compared with the exact text computed from the same data) and its first page of rows
 * (`firstViewRows`: the first page, 10 rows; a provider with fewer shows them all). A MutationObserver sees
 * that view complete; a requestAnimationFrame plus a task marks the frame it is painted in. The
 * expected view is computed here in Node from the core's own list, so the probe adds no work to
 * the page. Page load (navigation start) to first view is reported too. Rounds are fresh browser
 * contexts; the first is a warm-up and the median of the others is reported. The gzip size is the
 * sum of the built JS files, each gzipped as a server would send it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { createDefaultCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { startWebHost } from '../../main/web/web-host';
import type { ConnectionView } from '../../preload/contract';
import { connectionSummary, firstViewRows } from '../../renderer/connection-list-model';
import { ROOT, benchHome, log, median, seedConnections } from './util';

export interface RenderResult {
  renderMs: number;
  loadToFirstViewMs: number;
  firstViewRows: number;
  gzipKb: number;
  rounds: number;
  jsFiles: number;
}

/** One provider section of the first view: its heading, the summary it must show, its row count. */
interface ExpectedSection {
  name: string;
  summary: string;
  rows: number;
}

/** The first view the page must show for these connections (grouped by provider, in any order). */
export function expectedFirstView(connections: ConnectionView[]): ExpectedSection[] {
  const groups = new Map<string, ConnectionView[]>();
  for (const c of connections) groups.set(c.providerName, [...(groups.get(c.providerName) ?? []), c]);
  return [...groups].map(([name, list]) => ({
    name,
    summary: connectionSummary(list),
    rows: firstViewRows(list.length),
  }));
}

/** Runs in the page before any of its scripts: timestamps for the data and for the first view. */
function probe(expected: ExpectedSection[]): string {
  return `(() => {
  const expected = ${JSON.stringify(expected)};
  const totalRows = expected.reduce((n, e) => n + e.rows, 0);
  const b = (window.__bench = { data: null, view: null });
  const original = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const res = await original(...args);
    if (String(args[0]).includes('connections:list') && b.data === null) {
      await res.clone().arrayBuffer();
      b.data = performance.now();
    }
    return res;
  };
  const complete = () => {
    if (document.querySelectorAll('li.connection').length < totalRows) return false;
    const sections = [...document.querySelectorAll('section')];
    return expected.every((e) => {
      const s = sections.find((x) => x.querySelector('h3')?.textContent === e.name);
      return s !== undefined && s.querySelectorAll('li.connection').length >= e.rows && s.textContent.includes(e.summary);
    });
  };
  const seen = () => {
    if (b.view !== null || b.data === null || !complete()) return;
    b.view = -1;
    requestAnimationFrame(() => setTimeout(() => { b.view = performance.now(); }, 0));
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
})();`;
}

export async function rendererGzipKb(): Promise<{ kb: number; files: number }> {
  const dir = path.join(ROOT, 'dist/renderer/assets');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
  let bytes = 0;
  for (const f of files) bytes += gzipSync(await readFile(path.join(dir, f))).length;
  return { kb: bytes / 1024, files: files.length };
}

/** The connection list once two reads half a second apart agree on every connection's state. */
async function settledList(core: { listConnections(): Promise<ConnectionView[]> }): Promise<ConnectionView[]> {
  const key = (list: ConnectionView[]) => list.map((c) => `${c.id}:${c.status}`).join(',');
  let list = await core.listConnections();
  for (let i = 0; i < 40; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const next = await core.listConnections();
    if (key(next) === key(list)) return next;
    list = next;
  }
  throw new Error('the connection list kept changing for 20 s; the first view has no fixed target');
}

/**
 * Median first render (data to painted first view) over `rounds` fresh pages, after one warm-up.
 *
 * `staticDir` defaults to the built renderer (dist/renderer); pass another build to compare.
 */
export async function measureRender(rounds = 5, staticDir = path.join(ROOT, 'dist/renderer')): Promise<RenderResult> {
  const box = await benchHome('render');
  await seedConnections(box.home, 1000);
  const core = createDefaultCore({
    env: box.env,
    authorizers: [createLoopbackAuthorizer({ openUrl: () => undefined })],
  });
  const host = await startWebHost({ core, staticDir, port: 0, version: 'bench' });
  const browser = await chromium.launch({
    executablePath: process.env.PATCHBAY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const renders: number[] = [];
    const loads: number[] = [];
    let totalRows = 0;
    let sections = 0;
    for (let i = 0; i < rounds + 1; i += 1) {
      // The host's own services run as they would for a person (the refresh sweep marks seeded
      // connections without a refresh token as needing a new sign-in), so the expected view is
      // taken from the list once it has settled, just before each page opens.
      const connections = await settledList(core);
      if (connections.length !== 1000) throw new Error(`seeded ${connections.length} connections, expected 1,000`);
      const expected = expectedFirstView(connections);
      totalRows = expected.reduce((n, e) => n + e.rows, 0);
      sections = expected.length;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(probe(expected));
      await page.goto(host.url);
      await page.waitForFunction(
        () => {
          const b = (window as unknown as { __bench: { data: number | null; view: number | null } }).__bench;
          return b.data !== null && b.view !== null && b.view > 0;
        },
        undefined,
        { timeout: 60_000 },
      );
      const { data, view } = await page.evaluate(
        () => (window as unknown as { __bench: { data: number; view: number } }).__bench,
      );
      const count = await page.locator('li.connection').count();
      if (count < totalRows)
        throw new Error(`only ${count} connection rows rendered, the first view holds ${totalRows}`);
      await context.close();
      if (i === 0) continue; // warm-up: the browser's first page pays for its own start-up
      renders.push(view - data);
      loads.push(view);
    }
    const gzip = await rendererGzipKb();
    const result = {
      renderMs: median(renders),
      loadToFirstViewMs: median(loads),
      firstViewRows: totalRows,
      gzipKb: gzip.kb,
      rounds,
      jsFiles: gzip.files,
    };
    log(
      `  render: ${result.renderMs.toFixed(1)} ms from data to the first view painted (${sections} summaries + ${totalRows} rows ` +
        `of 1,000 connections; page load to first view ${result.loadToFirstViewMs.toFixed(0)} ms); ` +
        `renderer JS ${result.gzipKb.toFixed(1)} KB gzip in ${gzip.files} file(s)`,
    );
    return result;
  } finally {
    await browser.close();
    await host.close();
    await core.close();
    await box.cleanup();
  }
}
