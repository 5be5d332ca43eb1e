/**
 * Read Electronegativity's CSV report, write a readable Markdown report, and fail on HIGH or
 * CRITICAL findings that docs/security.md does not explain.
 *
 * Usage: node electronegativity-check.mjs <report.csv> <docs/security.md> <report.md>
 * An explanation is a row of the "Electronegativity findings" table in docs/security.md:
 * `| CHECK_NAME | file (or N/A, or *) | reason |` — the reason must be a real sentence.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [csvPath, docsPath, reportPath] = process.argv.slice(2);
if (!csvPath || !docsPath || !reportPath) {
  console.error('usage: electronegativity-check.mjs <report.csv> <security.md> <report.md>');
  process.exit(2);
}

/** RFC 4180-ish CSV: quoted fields may contain commas, quotes ("") and line breaks. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field); field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

const rows = parseCsv(readFileSync(csvPath, 'utf8'));
const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
const col = (name) => header.indexOf(name);
const findings = rows.map((r) => ({
  issue: r[col('issue')]?.trim() ?? '',
  severity: (r[col('severity')] ?? '').trim().toUpperCase(),
  confidence: (r[col('confidence')] ?? '').trim(),
  file: (r[col('filename')] ?? '').trim(),
  location: (r[col('location')] ?? '').trim(),
  description: (r[col('description')] ?? '').trim(),
})).filter((f) => f.issue !== '');

/** The explained findings from docs/security.md. */
const docs = readFileSync(docsPath, 'utf8');
const section = docs.split(/^## /m).find((s) => s.startsWith('Electronegativity findings')) ?? '';
const explained = [...section.matchAll(/^\|\s*([A-Z_]+_CHECK)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$/gm)]
  .map((m) => ({ issue: m[1], file: m[2], reason: m[3] }))
  .filter((e) => e.reason.split(/\s+/).length >= 5);
const isExplained = (f) => explained.some((e) => e.issue === f.issue && (e.file === '*' || e.file === f.file || (e.file === 'N/A' && f.file === 'N/A')));

const blocking = findings.filter((f) => (f.severity === 'HIGH' || f.severity === 'CRITICAL') && !isExplained(f));
const lines = [
  '# Electronegativity report',
  '',
  `${findings.length} finding(s); ${findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL').length} HIGH/CRITICAL, ${blocking.length} of them unexplained.`,
  '',
  '| Check | Severity | Confidence | File | Location | Explained |',
  '|---|---|---|---|---|---|',
  ...findings.map((f) => `| ${f.issue} | ${f.severity} | ${f.confidence} | ${f.file} | ${f.location} | ${isExplained(f) ? 'yes' : 'no'} |`),
  '',
];
writeFileSync(reportPath, lines.join('\n'));
console.log(lines.join('\n'));
if (blocking.length > 0) {
  console.error(`Electronegativity: ${blocking.length} HIGH/CRITICAL finding(s) not explained in ${docsPath}:`);
  for (const f of blocking) console.error(`  ${f.issue} (${f.severity}) in ${f.file} at ${f.location}: ${f.description}`);
  process.exit(1);
}
console.log('Electronegativity: no unexplained HIGH or CRITICAL finding.');
