/** A file-name-safe plot id fragment from a free-text name ("Binned fit (η×pT)" → "binned-fit-eta-pt"). */
export function slug(s: string): string {
  const greek: Record<string, string> = { φ: 'phi', η: 'eta', ε: 'eps', σ: 'sigma', χ: 'chi', μ: 'mu' };
  return (
    s
      .toLowerCase()
      .replace(/[φηεσχμ]/g, (c) => greek[c]!)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}
