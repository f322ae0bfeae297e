// Screenshots of the dashboard in VS Code's Dark Modern and Light Modern themes, from real engine runs (Compare Cells
// on the adding problem, a diverging run, a character model): `npx tsx test/webview/takeScreenshots.ts [outdir]`.
// The images in docs/images come from here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DashboardBrowser, DashboardServer } from './dashboardPage';
import { compareCells, divergingRun, hiddenStatesMessage, initOf, trainRun } from './engineRuns';
import { DARK_MODERN, LIGHT_MODERN } from './vscodeThemes';

async function main(): Promise<void> {
  const outdir = process.argv[2] ?? '/tmp/rnn-lab-screens';
  const only = process.argv[3];   // 'compare' (default: all sets)
  mkdirSync(outdir, { recursive: true });
  const compare = compareCells(300, 30);
  const diverging = divergingRun(200);
  const dinos = trainRun('dinos-lstm', 'LSTM · dinos · h32 · seed 1', { task: 'dinos', cell: 'lstm', hidden: 32, batchSize: 16, steps: 150, seed: 1, validateEvery: 25 });
  const server = await DashboardServer.start();
  const browser = await DashboardBrowser.launch();
  try {
    for (const [name, theme] of [['dark', DARK_MODERN], ['light', LIGHT_MODERN]] as const) {
      const page = await browser.open(server, theme, { width: 1400, height: 900 });
      // Compare Cells, running: the view the README shows.
      await page.send(initOf(compare));
      for (const run of compare) await page.send(hiddenStatesMessage(run));
      await page.page.screenshot({ path: join(outdir, `dashboard-${name}.png`), fullPage: true });
      await page.page.locator('.time-gradient').screenshot({ path: join(outdir, `time-gradient-${name}.png`) });
      await page.page.locator('.hidden-states').screenshot({ path: join(outdir, `hidden-states-${name}.png`) });
      if (only !== 'compare') {
        // A diverging run and a character model with a sample.
        await page.send(initOf([diverging, dinos], true));
        await page.send(hiddenStatesMessage(dinos));
        await page.send({ type: 'sample', runId: dinos.info.id, text: 'andrasaurus\nbrontosa\nmegalosaurus\n<script>alert(1)</script>\n', temperature: 0.8, seed: 7 });
        await page.page.screenshot({ path: join(outdir, `dashboard-${name}-diverged.png`), fullPage: true });
        await page.page.locator('.hidden-states').screenshot({ path: join(outdir, `hidden-states-dinos-${name}.png`) });
      }
      console.log(`${name}: errors ${JSON.stringify(page.errors)}, CSP violations ${JSON.stringify(await page.cspViolations())}`);
      await page.page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`screenshots in ${outdir}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
