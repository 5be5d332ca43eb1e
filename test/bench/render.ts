/**
 * render_1000_ms and renderer_js_gzip_kb.
 *
 * The built renderer is served by the real web host over a home seeded with 1,000 connections and
 * opened in Debian's Chromium through Playwright. "First render" is measured inside the page: from
 * the moment the `connections:list` answer has fully arrived to the first frame after 1,000
 * connection rows are in the DOM (a MutationObserver sees the rows; a requestAnimationFrame plus a
 * task marks the frame). Page load to rows is reported too, for context. The gzip size is the sum
 * of the built JS files, each gzipped as a server would send it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { createDefaultCore } from '../../main/core/create-core';
import { createLoopbackAuthorizer } from '../../main/core/loopback-authorizer';
import { startWebHost } from '../../main/web/web-host';
import { ROOT, benchHome, log, median, seedConnections } from './util';

export interface RenderResult { renderMs: number; loadToRowsMs: number; gzipKb: number; rounds: number; jsFiles: number }

/** Runs in the page before any of its scripts: timestamps for the data and for the rows. */
const PROBE = `(() => {
  const b = (window.__bench = { data: null, rows: null });
  const original = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const res = await original(...args);
    if (String(args[0]).includes('connections:list') && b.data === null) {
      await res.clone().arrayBuffer();
      b.data = performance.now();
    }
    return res;
  };
  const seen = () => {
    if (b.rows !== null || document.querySelectorAll('li.connection').length < 1000) return;
    b.rows = -1;
    requestAnimationFrame(() => setTimeout(() => { b.rows = performance.now(); }, 0));
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
})();`;

export async function rendererGzipKb(): Promise<{ kb: number; files: number }> {
  const dir = path.join(ROOT, 'dist/renderer/assets');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
  let bytes = 0;
  for (const f of files) bytes += gzipSync(await readFile(path.join(dir, f))).length;
  return { kb: bytes / 1024, files: files.length };
}

export async function measureRender(rounds = 5): Promise<RenderResult> {
  const box = await benchHome('render');
  await seedConnections(box.home, 1000);
  const core = createDefaultCore({ env: box.env, authorizers: [createLoopbackAuthorizer({ openUrl: () => undefined })] });
  const host = await startWebHost({ core, staticDir: path.join(ROOT, 'dist/renderer'), port: 0, version: 'bench' });
  const browser = await chromium.launch({
    executablePath: process.env.PATCHBAY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const renders: number[] = [];
    const loads: number[] = [];
    for (let i = 0; i < rounds + 1; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(PROBE);
      await page.goto(host.url);
      await page.waitForFunction(() => {
        const b = (window as unknown as { __bench: { data: number | null; rows: number | null } }).__bench;
        return b.data !== null && b.rows !== null && b.rows > 0;
      }, undefined, { timeout: 60_000 });
      const { data, rows } = await page.evaluate(() => (window as unknown as { __bench: { data: number; rows: number } }).__bench);
      const count = await page.locator('li.connection').count();
      if (count < 1000) throw new Error(`only ${count} connection rows rendered`);
      await context.close();
      if (i === 0) continue; // warm-up: the browser's first page pays for its own start-up
      renders.push(rows - data);
      loads.push(rows);
    }
    const gzip = await rendererGzipKb();
    const result = { renderMs: median(renders), loadToRowsMs: median(loads), gzipKb: gzip.kb, rounds, jsFiles: gzip.files };
    log(`  render: ${result.renderMs.toFixed(1)} ms from data to 1,000 rows painted (page load to rows ${result.loadToRowsMs.toFixed(0)} ms); renderer JS ${result.gzipKb.toFixed(1)} KB gzip in ${gzip.files} file(s)`);
    return result;
  } finally {
    await browser.close();
    await host.close();
    await core.close();
    await box.cleanup();
  }
}
