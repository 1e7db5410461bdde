#!/usr/bin/env node
// Scores a run of bench/assessment-cohort.sh against its simulated FISH truth.
//
//   node bench/score-assessment.mjs <cohort-dir> [--on assessment|call]
//
// Reads <cohort-dir>/truth.tsv and, for each purity variant found under
// <cohort-dir>/calls/ (purity-truth, purity-x0.75, purity-x1.25, no-purity),
// every tumour's <sample>.her2cn.json. Prints per variant how FISH-positive and
// FISH-negative tumours were assessed, the pass/fail of the criteria, every
// tumour breaking one, and how far the ERBB2 log2 is from the truth.
//
// --on assessment (the default) scores `assessment.status` (amplified,
// not_amplified, indeterminate, no_call); --on call scores the bulk `call`
// field instead (amplified, not_amplified, no_call), the baseline before the
// assessment exists.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const VARIANTS = [
  { name: 'purity-truth', label: 'purity as truth' },
  { name: 'purity-x0.75', label: 'purity x 0.75' },
  { name: 'purity-x1.25', label: 'purity x 1.25 (capped at 0.99)' },
  { name: 'no-purity', label: 'no purity' },
];
const STATUSES = ['amplified', 'indeterminate', 'not_amplified', 'no_call'];

function usage(message) {
  if (message) process.stderr.write(`score-assessment: ${message}\n`);
  process.stderr.write('usage: node bench/score-assessment.mjs <cohort-dir> [--on assessment|call]\n');
  process.exit(2);
}

const args = process.argv.slice(2);
let on = 'assessment';
let dir;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--on') on = args[++i];
  else if (args[i].startsWith('--on=')) on = args[i].slice(5);
  else if (args[i] === '-h' || args[i] === '--help') usage();
  else if (!dir) dir = args[i];
  else usage(`unexpected argument ${args[i]}`);
}
if (!dir) usage('no cohort folder');
if (on !== 'assessment' && on !== 'call') usage(`--on must be assessment or call, found ${on}`);

function readTsv(path) {
  const [head, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const cols = head.split('\t');
  return rows.filter(r => r && !r.startsWith('#')).map(r => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])));
}

const truth = readTsv(join(dir, 'truth.tsv'));
const pct = (k, n) => (n ? `${((100 * k) / n).toFixed(0)}%` : '-');
const num = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? 'NA' : Number(x).toFixed(d));
const pad = (s, n) => String(s).padEnd(n);

function statusOf(doc) {
  if (!doc) return 'missing';
  if (on === 'call') return doc.call ?? 'missing';
  const a = doc.assessment;
  if (!a || typeof a !== 'object' || !('status' in a)) return 'no_field';
  return a.status;
}

/** The assessment's scalar fields, compactly (its shape is the caller's to decide). */
function assessmentText(doc) {
  const a = doc?.assessment;
  if (!a || typeof a !== 'object') return 'assessment: absent';
  const parts = [];
  const walk = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v, `${prefix}${k}.`);
      else if (Array.isArray(v)) parts.push(`${prefix}${k}=[${v.map(x => (typeof x === 'number' ? num(x) : x)).join(',')}]`);
      else parts.push(`${prefix}${k}=${typeof v === 'number' ? num(v) : v}`);
    }
  };
  walk(a, '');
  return `assessment: ${parts.join(' ')}`;
}

const isPartial = t => (t.amplicon ?? '').startsWith('partial');
const summary = [];
let scoredAny = false;

if (on === 'call') {
  process.stdout.write(
    'NOTE: scored on the bulk `call` field (amplified / not_amplified / no_call at the log2 threshold), not on\n' +
      '`assessment.status`: the call has no indeterminate and does not use purity, so the four variants differ\n' +
      'only where purity changes nothing of it. This is the baseline the tumour-cell assessment is judged against.\n\n',
  );
}

for (const v of VARIANTS) {
  const folder = join(dir, 'calls', v.name);
  if (!existsSync(folder)) {
    process.stdout.write(`== ${v.name} (${v.label}): no results in ${folder}; skipped\n\n`);
    continue;
  }
  scoredAny = true;
  const rows = truth.map(t => {
    const path = join(folder, `${t.sample}.her2cn.json`);
    const doc = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
    return { t, doc, status: statusOf(doc), positive: t.fish === 'positive' };
  });
  const extra = [...new Set(rows.map(r => r.status).filter(s => !STATUSES.includes(s)))];
  const cols = [...STATUSES, ...extra];
  process.stdout.write(`== ${v.name} (${v.label}), scored on ${on === 'call' ? 'call' : 'assessment.status'}\n`);
  process.stdout.write(`${pad('FISH', 10)}${pad('n', 5)}${cols.map(c => pad(c, 16)).join('')}\n`);
  for (const positive of [true, false]) {
    const group = rows.filter(r => r.positive === positive);
    const cells = cols.map(c => {
      const k = group.filter(r => r.status === c).length;
      return pad(`${k} (${pct(k, group.length)})`, 16);
    });
    process.stdout.write(`${pad(positive ? 'positive' : 'negative', 10)}${pad(group.length, 5)}${cells.join('')}\n`);
  }
  if (extra.includes('no_field')) {
    process.stdout.write(`NOTE: ${rows.filter(r => r.status === 'no_field').length} results have no assessment.status (this her2cn does not write it yet); --on call scores the bulk call\n`);
  }
  if (extra.includes('missing')) process.stdout.write(`NOTE: ${rows.filter(r => r.status === 'missing').length} tumours have no result in ${folder}\n`);

  const pos = rows.filter(r => r.positive);
  const neg = rows.filter(r => !r.positive);
  const truthOnly = v.name === 'purity-truth';
  const posAmplified = pos.filter(r => r.status === 'amplified').length;
  const negIndeterminate = neg.filter(r => r.status === 'indeterminate').length;
  const criteria = [
    { id: 'A', text: 'no FISH-positive assessed not_amplified', applies: true, breaks: r => r.positive && r.status === 'not_amplified',
      value: `${pos.filter(r => r.status === 'not_amplified').length}`, pass: !pos.some(r => r.status === 'not_amplified') },
    { id: 'B', text: 'no FISH-negative assessed amplified', applies: true, breaks: r => !r.positive && r.status === 'amplified',
      value: `${neg.filter(r => r.status === 'amplified').length}`, pass: !neg.some(r => r.status === 'amplified') },
    { id: 'C', text: 'FISH-positive assessed amplified >= 90%', applies: truthOnly, breaks: r => r.positive && r.status !== 'amplified',
      value: `${pct(posAmplified, pos.length)} (${posAmplified}/${pos.length})`, pass: pos.length > 0 && posAmplified >= 0.9 * pos.length },
    { id: 'D', text: 'FISH-negative assessed indeterminate <= 5%', applies: truthOnly, breaks: r => !r.positive && r.status === 'indeterminate',
      value: `${pct(negIndeterminate, neg.length)} (${negIndeterminate}/${neg.length})`, pass: negIndeterminate <= 0.05 * neg.length },
  ];
  // A 6-copy polysomy 17 (ASCO/CAP group 3, FISH positive on copies alone) in
  // a fraction q of the cells, its purity given exactly, shows the data a
  // 5-copy one (group 4, FISH negative) in q / 0.75 shows with its purity
  // given 25% low: ERBB2 and the CEP17-like reference both at
  // log2(1 + 2q). A rule that never assesses a FISH-negative tumour amplified
  // with its purity off by up to 25% must leave every such polysomy
  // indeterminate, so C can be at most this, whatever the levels' accuracy.
  // (Only at a purity of at most 0.75: the twin's purity, q / 0.75, cannot pass 1.)
  const groupThreePolysomies = pos.filter(r => r.t.kind === 'polysomy-17' && Number(r.t.chr17_copies) === 6 && Number(r.t.purity) <= 0.75).length;
  if (truthOnly && groupThreePolysomies > 0) {
    const most = pos.length - groupThreePolysomies;
    criteria.find(c => c.id === 'C').value += `; at most ${pct(most, pos.length)} (${most}/${pos.length}) for any rule safe with the purity off by 25%: ${groupThreePolysomies} are 6-copy polysomies`;
  }
  // The other side: a 5-copy polysomy 17 (group 4, FISH negative) with its
  // purity p given exactly reads 5.0 copies per tumour cell; a 6-copy one
  // (group 3, FISH positive) in 0.8p of the cells with its purity given 25%
  // high (p) reads 2 + 4 x 0.8 = 5.2. A rule safe with the purity off by 25%
  // may assess the first not_amplified only when the copies, at the given
  // purity, are measured finer than that 0.2 gap: shown here, the narrowest
  // half-width of their 95% intervals from the log2 interval alone.
  const fiveCopyPolysomies = neg.filter(r => r.status === 'indeterminate' && r.t.kind === 'polysomy-17' && Number(r.t.chr17_copies) === 5 && r.doc && Array.isArray(r.doc.ci95));
  if (truthOnly && fiveCopyPolysomies.length > 0) {
    const copiesAt = (log2, purity) => 2 + (2 ** (log2 + 1) - 2) / purity;
    const halfWidths = fiveCopyPolysomies.map(r => (copiesAt(r.doc.ci95[1], Number(r.doc.purity)) - copiesAt(r.doc.ci95[0], Number(r.doc.purity))) / 2);
    criteria.find(c => c.id === 'D').value +=
      `; ${fiveCopyPolysomies.length} of them are 5-copy polysomies, 0.2 copies per tumour cell from a FISH-positive 6-copy one with its purity given 25% high, ` +
      `measured to +-${num(Math.min(...halfWidths), 2)} at best at the given purity`;
  }
  process.stdout.write('criteria:\n');
  for (const c of criteria) {
    const mark = c.applies ? (c.pass ? 'pass' : 'FAIL') : ' -- ';
    process.stdout.write(`  [${mark}] ${c.id}. ${c.text}: ${c.value}${c.applies ? '' : ' (applies with purity as truth only)'}\n`);
    if (c.applies) summary.push({ variant: v.name, id: c.id, pass: c.pass });
  }

  // The purity that would decide an indeterminate tumour (tumor.deciding_purity), read at the simulated purity.
  const open = rows.filter(r => r.status === 'indeterminate');
  const named = open.filter(r => r.doc?.tumor?.deciding_purity);
  if (named.length) {
    let settled = 0;
    const against = [];
    for (const r of named) {
      const d = r.doc.tumor.deciding_purity;
      const p = Number(r.t.purity);
      const says = d.not_amplified_from !== null && p >= d.not_amplified_from ? false : d.amplified_up_to !== null && p <= d.amplified_up_to ? true : null;
      if (says === null) continue;
      settled++;
      if (says !== r.positive) against.push(r.t.sample);
    }
    process.stdout.write(
      `deciding purity: ${named.length} of ${open.length} indeterminate name one; at the simulated purity it settles ${settled}, ` +
        `${against.length} against FISH${against.length ? ` (${against.join(', ')})` : ''}\n`,
    );
  }

  // ERBB2 log2 against the truth: callable tumours without a partial amplicon.
  const measured = rows.filter(r => r.doc && r.doc.call !== 'no_call' && typeof r.doc.log2 === 'number' && !isPartial(r.t));
  if (measured.length) {
    const errors = measured.map(r => ({ r, e: Math.abs(r.doc.log2 - Number(r.t.expected_log2)) }));
    const mae = errors.reduce((s, x) => s + x.e, 0) / errors.length;
    const inside = measured.filter(r => Array.isArray(r.doc.ci95) && r.doc.ci95[0] <= Number(r.t.expected_log2) && Number(r.t.expected_log2) <= r.doc.ci95[1]).length;
    const worst = errors.reduce((a, b) => (b.e > a.e ? b : a));
    process.stdout.write(
      `ERBB2 log2 vs expected_log2 (${measured.length} callable tumours without a partial amplicon): mean absolute error ${num(mae, 3)}, ` +
        `ci95 contains the truth ${pct(inside, measured.length)} (${inside}/${measured.length}), max error ${num(worst.e, 3)} (${worst.r.t.sample}${worst.r.t.kind ? `, ${worst.r.t.kind}` : ''})\n`,
    );
  }

  // By kind of tumour (the benchmark's truth names it), with purity as truth only.
  if (truthOnly && rows.some(r => r.t.kind)) {
    process.stdout.write(`by kind (FISH-positive/negative: ${cols.join(' / ')}):\n`);
    for (const kind of [...new Set(rows.map(r => r.t.kind))].sort()) {
      const of = rows.filter(r => r.t.kind === kind);
      const counts = positive => cols.map(c => of.filter(r => r.positive === positive && r.status === c).length).join('/');
      process.stdout.write(`  ${pad(kind, 24)} n=${pad(of.length, 4)} FISH+ ${pad(counts(true), 12)} FISH- ${counts(false)}\n`);
    }
  }

  // Every tumour breaking a criterion that applies.
  const breaking = rows
    .map(r => ({ r, ids: criteria.filter(c => c.applies && c.breaks(r)).map(c => c.id) }))
    .filter(x => x.ids.length);
  if (breaking.length) {
    process.stdout.write(`tumours breaking a criterion (${breaking.length}):\n`);
    for (const { r, ids } of breaking) {
      const t = r.t;
      const d = r.doc;
      process.stdout.write(
        `  ${t.sample} [${ids.join(',')}] ${t.kind ?? t.description ?? ''}${t.library ? ` (${t.library}, ${t.depth}x)` : ''} purity ${t.purity} (given ${d ? num(d.purity) : 'NA'}); ` +
          `FISH ${t.fish} HER2 ${t.her2_per_cell} CEP17 ${t.cep17_per_cell} ratio ${t.ratio} group ${t.fish_group}; expected_log2 ${t.expected_log2}; ` +
          (d
            ? `log2 ${num(d.log2)} ci95 [${(d.ci95 ?? []).map(x => num(x)).join(', ')}] call ${d.call} qc ${d.qc?.status ?? 'NA'}; ` +
              `tumour CN ${num(d.tumor_copy_number, 1)} [${(d.tumor_copy_number_ci95 ?? []).map(x => num(x, 1)).join(', ')}]; ${assessmentText(d)}`
            : 'no result') +
          '\n',
      );
    }
  }
  process.stdout.write('\n');
}

if (!scoredAny) usage(`no results under ${join(dir, 'calls')}`);
const failed = summary.filter(s => !s.pass);
process.stdout.write(
  `summary (${on === 'call' ? 'bulk call' : 'assessment.status'}): ${summary.length - failed.length} of ${summary.length} criteria passed` +
    (failed.length ? `; failed: ${failed.map(f => `${f.variant} ${f.id}`).join(', ')}` : '') +
    '\n',
);
