import { readFileSync } from 'node:fs';

// Read once from package.json so files, reports and sidecars carry the installed version. The module sits at
// src/version.ts in the source tree and at dist/src/version.js once compiled.
const pkgUrl = new URL(import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json', import.meta.url);
export const version: string = (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;
