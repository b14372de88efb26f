#!/usr/bin/env node
// Make a bench event CSV look like a typical analysis ntuple, for the walkthrough in docs/open-bench.md:
// el1_pt, el1_eta, el1_phi, el1_charge (and el2_*), mll, weight, el1_truth_flip, el2_truth_flip; no sc and
// no region column (the bench derives both), no other truth. Usage: node ntuple-like.mjs IN.csv OUT.csv
import { readFileSync, writeFileSync } from 'node:fs';

const [, , input, output] = process.argv;
const RENAME = {
  pt1: 'el1_pt', eta1: 'el1_eta', phi1: 'el1_phi', q1: 'el1_charge',
  pt2: 'el2_pt', eta2: 'el2_eta', phi2: 'el2_phi', q2: 'el2_charge',
  m_ee: 'mll', w: 'weight', truth_flip1: 'el1_truth_flip', truth_flip2: 'el2_truth_flip',
};
const lines = readFileSync(input, 'utf8').trim().split('\n');
const header = lines[0].split(',');
const keep = header.map((name, j) => [name, j]).filter(([name]) => name in RENAME);
const out = [keep.map(([name]) => RENAME[name]).join(',')];
for (const line of lines.slice(1)) {
  const v = line.split(',');
  out.push(keep.map(([, j]) => v[j]).join(','));
}
writeFileSync(output, `${out.join('\n')}\n`);
