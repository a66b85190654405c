// ESLint flat config. The layer rules from DESIGN.md ("Layer rules") live here as errors,
// so that a wrong-way import fails `npm run lint` instead of relying on memory.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const ioModules = [
  'net',
  'node:net',
  'tls',
  'node:tls',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
  'classic-level',
  'kafkajs',
  'ws',
];

/** A restriction that names the layer rule it enforces, so the lint message explains itself. */
const layer = (files, { paths = [], patterns = [] }) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});
const noIo = (why) => ioModules.map((name) => ({ name, message: why }));
const from = (group, message, extra = {}) => ({ group, message, ...extra });

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'broker/protocol/messages/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      'vue/no-v-html': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['renderer/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // broker/protocol: sans-I/O codecs — bytes in, objects out.
  layer(['broker/protocol/**'], {
    paths: noIo('broker/protocol does no I/O (DESIGN.md, Layer rules).'),
    patterns: [
      from(
        [
          '**/log/**',
          '**/server/**',
          '**/admin/**',
          '**/engine/**',
          '**/renderer/**',
          '**/electron/**',
        ],
        'broker/protocol depends on nothing but itself.',
      ),
    ],
  }),
  // broker/log: a library; knows nothing of the protocol server.
  layer(['broker/log/**'], {
    paths: [
      { name: 'net', message: 'broker/log knows nothing of the network.' },
      { name: 'node:net', message: 'broker/log knows nothing of the network.' },
    ],
    patterns: [
      from(
        ['**/server/**', '**/admin/**', '**/engine/**', '**/renderer/**', '**/electron/**'],
        'broker/log is a library: it knows nothing of the protocol server or the app.',
      ),
    ],
  }),
  layer(['broker/server/**', 'broker/admin/**', 'broker/*.ts'], {
    patterns: [
      from(['**/engine/**', '**/renderer/**', '**/electron/**'], 'The broker stands alone.'),
    ],
  }),
  // engine/stats and engine/sampling: pure, deterministic math.
  layer(['engine/stats/**', 'engine/sampling/**'], {
    paths: noIo('engine/stats and engine/sampling are pure (DESIGN.md, Layer rules).'),
    patterns: [
      from(
        [
          '**/sources/**',
          '**/http/**',
          '**/replay/**',
          '**/broker/**',
          '**/renderer/**',
          '**/electron/**',
        ],
        'engine/stats and engine/sampling are pure math.',
      ),
    ],
  }),
  layer(['engine/**'], {
    patterns: [
      from(
        ['**/renderer/**', '**/electron/**', '**/launcher/**'],
        'The engine does not know its UI.',
      ),
    ],
  }),
  // launcher: starts processes; it never reaches into what runs inside them.
  layer(['launcher/**'], {
    patterns: [
      from(
        ['**/broker/**', '**/renderer/**', '**/electron/**'],
        'The launcher only starts the built processes.',
      ),
      from(
        ['**/engine/*', '!**/engine/api', '!**/engine/api/**'],
        'The launcher only starts the built processes.',
      ),
      from(
        ['**/engine/api', '**/engine/api/**'],
        'Only type imports from engine/api in the launcher.',
        {
          allowTypeImports: true,
        },
      ),
    ],
  }),
  // renderer: browser code; reaches the engine only through renderer/src/api.
  // (renderer/vite.config.ts is build tooling that runs in Node, so only renderer/src is held to it.)
  layer(['renderer/src/**'], {
    paths: [
      ...nodeBuiltins.map((name) => ({
        name,
        message: 'The renderer is browser code: no Node built-ins.',
      })),
      { name: 'electron', message: 'The renderer never imports Electron; use the preload API.' },
    ],
    patterns: [
      from(['**/broker/**', '**/electron/**'], 'The renderer talks only to the engine API.'),
      from(
        ['**/engine/*', '!**/engine/api', '!**/engine/api/**'],
        'The renderer reaches the engine only through renderer/src/api.',
      ),
      from(
        ['**/engine/api', '**/engine/api/**'],
        'Only type imports from engine/api in the renderer.',
        {
          allowTypeImports: true,
        },
      ),
    ],
  }),
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='exposeInMainWorld'] Identifier[name='ipcRenderer']",
          message: 'Expose a small named API, never ipcRenderer itself.',
        },
      ],
    },
  },
);
