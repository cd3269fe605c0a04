import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import globals from 'globals';

/** Import boundaries that keep the architecture honest (see README, "Architecture"). */
const noElectron = { name: 'electron', message: 'Only src/main and src/preload may import electron.' };
const engineRestrictions = {
  paths: [noElectron],
  patterns: [
    { group: ['**/renderer/**', '**/main/**', '**/preload/**', '**/server/**', '**/host/**', '**/cli/**'], message: 'The engine is plain TypeScript: it never reaches up into a shell.' },
  ],
};
const rendererRestrictions = {
  paths: [noElectron],
  patterns: [
    { group: ['**/engine/**', '@engine/*', '**/host/**', '**/server/**', '**/main/**', 'node:*', 'onnxruntime-node'], message: 'The renderer talks to the engine only through the API contract in src/shared.' },
  ],
};
const sharedRestrictions = {
  paths: [noElectron],
  patterns: [{ group: ['**/engine/**', '@engine/*', '**/renderer/**', '**/host/**', 'node:*'], message: 'src/shared is imported by the renderer: keep it free of engine and Node code.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'training/**', 'test-output/**', 'bench/results/**', 'resources/**', 'src/**/wasm/assembly/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/attributes-order': 'off',
    },
  },
  { files: ['src/engine/**/*.ts'], rules: { 'no-restricted-imports': ['error', engineRestrictions] } },
  { files: ['src/shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', sharedRestrictions] } },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', rendererRestrictions] },
  },
);
