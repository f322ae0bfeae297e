// Webview layer: the notebook renderer `rnn-lab.charts` (dist/renderer.js, an ES module VS Code loads into a
// notebook's output frame) for application/vnd.rnnlab.chart+json and …heatmap+json: it draws each output with the
// dashboard's chart code (NotebookChart) and redraws them all when VS Code switches theme.
import dashboardCss from '../../../media/dashboard.css';
import { readTheme, watchTheme } from '../theme';
import { NotebookChart, notebookStylesheets } from './notebookChart';

/** The part of VS Code's notebook renderer API (vscode-notebook-renderer) this renderer uses. */
interface OutputItem {
  readonly id: string;
  readonly mime: string;
  json(): unknown;
}

interface RendererApi {
  renderOutputItem(outputItem: OutputItem, element: HTMLElement, signal?: AbortSignal): void;
  disposeOutputItem?(id?: string): void;
}

/** The charts on the page, by output id: a live chart's updates arrive as the same output id again. */
const charts = new Map<string, NotebookChart>();
let stylesheets: CSSStyleSheet[] | undefined;
let watching = false;

export function activate(): RendererApi {
  if (!watching) {
    watching = true;
    watchTheme(() => {
      const theme = readTheme();
      for (const chart of charts.values()) chart.applyTheme(theme);
    });
  }
  return {
    renderOutputItem(outputItem, element) {
      stylesheets ??= notebookStylesheets(dashboardCss);
      let chart = charts.get(outputItem.id);
      if (!chart || chart.host !== element) {
        chart?.dispose();
        chart = new NotebookChart(element, stylesheets);
        charts.set(outputItem.id, chart);
      }
      chart.show(outputItem.mime, () => outputItem.json());
    },
    disposeOutputItem(id) {
      for (const [key, chart] of charts) {
        if (id !== undefined && key !== id) continue;
        chart.dispose();
        charts.delete(key);
      }
    },
  };
}
