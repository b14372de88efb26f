// ESLint flat config: the recommended JavaScript rules plus typescript-eslint's recommended rules (no type
// information, so it stays fast). Formatting is prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', 'test/fixtures/', '**/*.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'generators/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // `_`-prefixed names are deliberately unused (positional callback arguments, destructuring to drop a key).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
