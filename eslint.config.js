// ESLint flat config: type-aware rules, chiefly no floating promises.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Dot-files and dot-directories (scratch files such as bench/.perf-tmp/) are outside tsconfig's
  // globs, so the type-aware rules cannot parse them: leave them out, as tsc does.
  { ignores: ['dist/**', 'docs/**', 'node_modules/**', 'native/**', '**/*.cjs', 'eslint.config.js', '**/.*', '**/.*/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
