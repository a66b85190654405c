/** ECharts with only what Logscope draws registered, so the bundle carries nothing else. */
import * as echarts from 'echarts/core';
import { CustomChart } from 'echarts/charts';
import { GridComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([CustomChart, GridComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export { echarts };

/** A CSS custom property of the current theme (light or dark), for chart colours. */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}
