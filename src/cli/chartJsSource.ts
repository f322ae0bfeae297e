// CLI layer: the text of chart.js that `rnn-lab report` inlines into its page. scripts/build.mjs embeds it into
// dist/cli.js, so the bundled CLI needs no node_modules; run from source (tsx, tests) it is read from node_modules.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Replaced by the build with the contents of chart.js/dist/chart.umd.min.js; undeclared when run from source. */
declare const RNN_LAB_CHART_JS: string | undefined;

export function chartJsSource(): string {
  if (typeof RNN_LAB_CHART_JS === 'string') return RNN_LAB_CHART_JS;
  // chart.js's package exports do not list the UMD file, so find it next to the package's main file.
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}
