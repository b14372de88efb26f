#!/usr/bin/env node
// Entry point of the `qmisid` command: the compiled CLI lives in dist/ (built by `npm install`/`npm run build`).
import { main } from '../dist/src/cli/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 1; },
);
