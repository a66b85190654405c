/**
 * Makes every drawn element of a `silent: true` line series silent itself. ECharts marks only the
 * series' group silent, so zrender still records each point of a line's path for hit-testing
 * (PathProxy keeps its data unless the element is silent), though nothing ever hit-tests a
 * silent series. For a live chart redrawing 100 lines of hundreds of points a second, that
 * recording was about a third of the paint. The axis tooltip does not need it: it finds the
 * values by the axis, not by the line under the pointer.
 *
 * Registered once, for all charts; runs after each update's render and before the paint.
 */
import { echarts } from './edaEcharts';

let registered = false;

export function silenceSilentSeriesElements(): void {
  if (registered) return;
  registered = true;
  echarts.registerUpdateLifecycle('series:afterupdate', (ecModel, api) => {
    // Line series only: that is where the recorded points cost (and what live charts draw).
    ecModel.eachSeriesByType('line', (series) => {
      if (!series.get('silent')) return;
      api.getViewOfSeriesModel(series).group.traverse((element) => {
        element.silent = true;
      });
    });
  });
}
