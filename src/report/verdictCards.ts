/**
 * One card per estimator on the report page: pass/fail of its criteria, each criterion with its value and
 * threshold (and whatever optional fields it carries: false-alarm rate, power, …), the worst bin named with
 * its value, failure counts and key numbers. Criteria without an estimator go on a card of their own
 * ("study"), so nothing a study judges is left off the cards.
 */
import type { Criterion, ReportSummary, Verdict } from './report.js';

export interface Card {
  estimator: string;
  /** 'pass' when every criterion passes, 'fail' when one fails, 'none' without criteria. */
  state: 'pass' | 'fail' | 'none';
  criteria: Criterion[];
  verdict?: Verdict;
}

const OTHER = 'study';

/** Cards in the order estimators first appear (verdicts, then criteria). */
export function verdictCards(s: ReportSummary): Card[] {
  const order: string[] = [];
  const seen = (e: string) => {
    if (!order.includes(e)) order.push(e);
  };
  for (const v of s.verdicts ?? []) seen(v.estimator);
  for (const c of s.criteria) seen(c.estimator ?? OTHER);
  return order.map((estimator) => {
    const criteria = s.criteria.filter((c) => (c.estimator ?? OTHER) === estimator);
    const verdict = s.verdicts?.find((v) => v.estimator === estimator);
    const failed = (verdict?.failures && Object.values(verdict.failures).some((n) => n > 0)) ?? false;
    const state: Card['state'] = criteria.length === 0 ? 'none' : criteria.every((c) => c.pass) ? 'pass' : 'fail';
    return { estimator, state: failed && state === 'none' ? 'fail' : state, criteria, ...(verdict ? { verdict } : {}) };
  });
}

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fmt(x: unknown): string {
  return typeof x === 'number' && Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

export function cardId(estimator: string): string {
  return `verdict-${estimator.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;
}

/** The card as HTML (the page's CSS styles .card). */
export function cardHtml(card: Card): string {
  const label = card.state === 'pass' ? 'PASS' : card.state === 'fail' ? 'FAIL' : 'no criteria';
  const rows = card.criteria
    .map((c) => {
      const details = Object.entries(c.details ?? {})
        .map(([k, v]) => `<span class="detail">${esc(k)} ${esc(fmt(v))}</span>`)
        .join(' ');
      return `<li class="${c.pass ? 'ok' : 'bad'}"><span class="mark">${c.pass ? '✓' : '✗'}</span> <b>${esc(c.metric ?? c.name)}</b>${c.point ? ` @ ${esc(c.point)}` : ''} = <span class="num">${esc(c.value)}</span> (needs ${esc(c.threshold)})${
        details ? ` ${details}` : ''
      }${c.why ? `<div class="why">${esc(c.why)}</div>` : ''}</li>`;
    })
    .join('');
  const v = card.verdict;
  const worst = v?.worst
    ? `<p class="worst">worst bin: <b>${esc(v.worst.bin)}</b>${v.worst.point ? ` @ ${esc(v.worst.point)}` : ''}, ${esc(v.worst.metric)} = <span class="num">${esc(fmt(v.worst.value))}</span></p>`
    : '';
  const failures =
    v?.failures && Object.keys(v.failures).length
      ? `<p class="failures">not ok: ${Object.entries(v.failures)
          .map(([k, n]) => `${esc(k)} × ${esc(n)}`)
          .join(', ')}</p>`
      : '';
  const numbers =
    v?.numbers && Object.keys(v.numbers).length
      ? `<table class="numbers">${Object.entries(v.numbers)
          .map(([k, x]) => `<tr><th scope="row">${esc(k)}</th><td class="num">${esc(fmt(x))}</td></tr>`)
          .join('')}</table>`
      : '';
  return `<article class="card ${card.state}" id="${esc(cardId(card.estimator))}" data-estimator="${esc(card.estimator)}" data-state="${card.state}">
<h3>${esc(card.estimator)} <span class="badge ${card.state}">${label}</span></h3>
${rows ? `<ul class="checks">${rows}</ul>` : '<p>No criteria judge this estimator.</p>'}
${worst}${failures}${numbers}
</article>`;
}
