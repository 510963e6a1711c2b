import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  ...ts.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        // Also read by import-x when it parses a .svelte file imported from a .ts file.
        parser: ts.parser,
        svelteConfig,
        projectService: true,
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // typescript-eslint cannot see the types of Svelte components and snippet parameters, so
    // its type-aware rules report false "any" errors in .svelte files; svelte-check type-checks
    // them with the Svelte language tools instead.
    files: ['**/*.svelte'],
    ...ts.configs.disableTypeChecked,
  },
  {
    files: ['*.config.js', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ extensions: ['.ts', '.js', '.svelte'] }),
      ],
      'import-x/parsers': {
        'svelte-eslint-parser': ['.svelte'],
        '@typescript-eslint/parser': ['.ts', '.js'],
      },
      'import-x/extensions': ['.ts', '.js', '.svelte'],
    },
    rules: {
      // STYLE: no import cycles between modules.
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
    },
  },
  {
    rules: {
      // Provider and user data must never be rendered as markup (DESIGN §4).
      'svelte/no-at-html-tags': 'error',
      'svelte/no-target-blank': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@tauri-apps/api/core',
              importNames: ['invoke'],
              message: 'Call commands through $lib/api, the only module that talks to the core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // The API client is the one place allowed to call invoke; tests mock it to play the core.
    files: ['src/lib/api/**', '**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The core rejects with plain CommandError objects, not Errors: tests must do the same.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/prefer-promise-reject-errors': 'off' },
  },
);
