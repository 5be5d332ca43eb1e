/**
 * Read Electronegativity's CSV report and its scan summary, write a readable Markdown report, and
 * fail on HIGH or CRITICAL findings that docs/security.md does not explain.
 *
 * Usage: node electronegativity-check.mjs <report.csv> <scan.json> <docs/security.md> <report.md>
 *
 * Fails closed: a header that is not exactly the one Electronegativity 1.x writes, a row with the
 * wrong number of fields, an unknown severity or confidence, a malformed location, an unclosed
 * quote, a row count that differs from the findings the scan returned, a source file the scan did
 * not parse or never listed — each ends the check with exit 1 before any finding is judged. A
 * check that silently read nothing would otherwise pass every time.
 *
 * An explanation is a row of the "Electronegativity findings" table in docs/security.md:
 * `| CHECK_NAME | file (or N/A, or *) | reason |` — the reason must be a real sentence.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The exact header Electronegativity 1.10 writes (util/file.js writeCsvHeader). */
export const HEADER = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url'];
const SEVERITIES = new Set(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const CONFIDENCES = new Set(['TENTATIVE', 'FIRM', 'CERTAIN']);

/** RFC 4180-ish CSV: quoted fields may contain commas, quotes ("") and line breaks. Throws on an unclosed quote. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  if (quoted) throw new Error('a quoted field is never closed');
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

/** Parse the report into findings, or throw naming the first thing that is not what the tool writes. */
export function readFindings(text) {
  const rows = parseCsv(text);
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  if (header.join(',') !== HEADER.join(',')) {
    throw new Error(`unexpected header "${header.join(', ')}"; expected "${HEADER.join(', ')}"`);
  }
  return rows.map((r, index) => {
    const line = `row ${index + 1}`;
    if (r.length !== HEADER.length) throw new Error(`${line} has ${r.length} fields, expected ${HEADER.length}`);
    const [issue, severity, confidence, file, location, , description] = r.map((f) => f.trim());
    if (!/^[A-Z0-9_]+_CHECK$/.test(issue)) throw new Error(`${line}: "${issue}" is not a check name`);
    if (!SEVERITIES.has(severity)) throw new Error(`${line}: unknown severity "${severity}"`);
    if (!CONFIDENCES.has(confidence)) throw new Error(`${line}: unknown confidence "${confidence}"`);
    if (file === '') throw new Error(`${line}: no file name`);
    if (!/^\d+:\d+$/.test(location)) throw new Error(`${line}: location "${location}" is not line:column`);
    return { issue, severity, confidence, file, location, description };
  });
}

/** Check the scan summary from electronegativity-scan.mjs; returns the problems found. */
export function scanProblems(scan) {
  const problems = [];
  if (!Number.isInteger(scan.expectedFiles) || scan.expectedFiles < 1)
    problems.push('the scan found no source file to look at');
  if (scan.scannedFiles !== scan.expectedFiles)
    problems.push(`the scan parsed ${scan.scannedFiles} file(s) but there are ${scan.expectedFiles} source file(s)`);
  for (const f of scan.unscanned ?? []) problems.push(`not scanned: ${f}`);
  for (const e of scan.parseErrors ?? []) problems.push(`could not parse ${e.file}: ${e.message}`);
  if (!Number.isInteger(scan.issueCount)) problems.push('the scan summary has no finding count');
  return problems;
}

function main() {
  const [csvPath, scanPath, docsPath, reportPath] = process.argv.slice(2);
  if (!csvPath || !scanPath || !docsPath || !reportPath) {
    console.error('usage: electronegativity-check.mjs <report.csv> <scan.json> <security.md> <report.md>');
    process.exit(2);
  }
  const fail = (why) => {
    console.error(`Electronegativity: ${why}. The check cannot vouch for a scan it cannot read.`);
    process.exit(1);
  };
  let findings;
  let scan;
  try {
    scan = JSON.parse(readFileSync(scanPath, 'utf8'));
    findings = readFindings(readFileSync(csvPath, 'utf8'));
  } catch (error) {
    return fail(`unreadable report (${error.message})`);
  }
  const problems = scanProblems(scan);
  if (problems.length > 0) return fail(problems.join('; '));
  if (findings.length !== scan.issueCount)
    return fail(`the CSV holds ${findings.length} finding(s) but the scan returned ${scan.issueCount}`);

  /** The explained findings from docs/security.md. */
  const docs = readFileSync(docsPath, 'utf8');
  const section = docs.split(/^## /m).find((s) => s.startsWith('Electronegativity findings')) ?? '';
  const explained = [...section.matchAll(/^\|\s*([A-Z_]+_CHECK)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$/gm)]
    .map((m) => ({ issue: m[1], file: m[2], reason: m[3] }))
    .filter((e) => e.reason.split(/\s+/).length >= 5);
  const isExplained = (f) =>
    explained.some(
      (e) => e.issue === f.issue && (e.file === '*' || e.file === f.file || (e.file === 'N/A' && f.file === 'N/A')),
    );

  const severe = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
  const blocking = severe.filter((f) => !isExplained(f));
  const lines = [
    '# Electronegativity report',
    '',
    `${scan.scannedFiles} source file(s) scanned. ${findings.length} finding(s); ${severe.length} HIGH/CRITICAL, ${blocking.length} of them unexplained.`,
    '',
    '| Check | Severity | Confidence | File | Location | Explained |',
    '|---|---|---|---|---|---|',
    ...findings.map(
      (f) =>
        `| ${f.issue} | ${f.severity} | ${f.confidence} | ${f.file} | ${f.location} | ${isExplained(f) ? 'yes' : 'no'} |`,
    ),
    '',
  ];
  writeFileSync(reportPath, lines.join('\n'));
  console.log(lines.join('\n'));
  if (blocking.length > 0) {
    console.error(`Electronegativity: ${blocking.length} HIGH/CRITICAL finding(s) not explained in ${docsPath}:`);
    for (const f of blocking)
      console.error(`  ${f.issue} (${f.severity}) in ${f.file} at ${f.location}: ${f.description}`);
    process.exit(1);
  }
  console.log('Electronegativity: no unexplained HIGH or CRITICAL finding.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
