/** Entry of `logscope dump` (built to dist/engine/dump.js; the launcher imports it by path). */
export { runDump } from './sources/offline/dumpCommand';
