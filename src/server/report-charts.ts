import * as echarts from 'echarts';
import type { Figures } from '../domain/analysis-report.js';

/**
 * D77: the charts of a report's page, drawn on the server as inline SVG by
 * Apache ECharts' server-side renderer (`ssr: true`, `renderer: 'svg'`): the
 * page needs no script and loads nothing, so the operator's intranet (no
 * internet) prints it as it is.
 */

export type Chart = { id: string; title: string; svg: string };

const FONT =
  "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
const WIDTH = 680;
const HEIGHT = 300;

function render(option: echarts.EChartsOption, width = WIDTH, height = HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT },
      grid: { left: 56, right: 24, top: 52, bottom: 64, containLabel: true },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const KIND_ZH: Record<string, string> = {
  COMPLAINT: '投诉',
  CONSULTATION: '咨询',
  QUERY: '查询',
  BUSINESS_REQUEST: '业务受理',
  FAULT_REPORT: '障碍申告',
};
const CLOCK_ZH: Record<string, string> = {
  REGISTER: '登记',
  ACCEPT: '受理',
  ANSWER: '答复',
  INITIAL_INVESTIGATION: '初查',
  INITIAL_RESULT: '初步结果',
  ASSIGNMENT: '派单处理',
  RESOLVE: '处理完成',
  CLOSE: '回访结案',
  REPLY: '回复',
  RECONTACT: '再联系',
  ARCHIVE: '归档',
};
export const zhKind = (k: string | null) => (k ? (KIND_ZH[k] ?? k) : '未分类');
export const zhClock = (k: string) => CLOCK_ZH[k] ?? k;
const pct = (x: number | null) => (x === null ? 0 : Math.round(x * 1000) / 10);

/** A bar chart of (label, value) pairs, a value label on each bar. */
function bars(
  title: string,
  rows: { name: string; value: number }[],
  opts: { percent?: boolean; horizontal?: boolean } = {},
) {
  const names = rows.map((r) => r.name);
  const cat = {
    type: 'category' as const,
    data: names,
    axisLabel: { interval: 0, rotate: !opts.horizontal && names.length > 5 ? 30 : 0 },
  };
  const val = {
    type: 'value' as const,
    ...(opts.percent ? { max: 100, axisLabel: { formatter: '{value}%' } } : { minInterval: 1 }),
  };
  return render({
    title: { text: title, left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } },
    xAxis: opts.horizontal ? val : cat,
    yAxis: opts.horizontal ? { ...cat, inverse: true } : val,
    series: [
      {
        type: 'bar',
        data: rows.map((r) => r.value),
        barMaxWidth: 36,
        label: {
          show: true,
          position: opts.horizontal ? 'right' : 'top',
          formatter: opts.percent ? '{c}%' : '{c}',
        },
      },
    ],
  });
}

/** The page's five charts: volume by kind and by line, the 13-period trend, causes, and the rates. */
export function reportCharts(f: Figures, names: { line(code: string | null): string }): Chart[] {
  const kind = f.byKind.map((r) => ({ name: zhKind(r.keys.KIND ?? null), value: r.count }));
  const line = f.byBusinessLine.map((r) => ({
    name: names.line(r.keys.BUSINESS_LINE ?? null),
    value: r.count,
  }));
  const causes = f.findings.byCause.map((c) => ({ name: c.category, value: c.count }));
  const rates = [
    { name: '满意率', value: pct(f.satisfactionRate) },
    { name: '重复投诉率', value: pct(f.repeatRate) },
    { name: '重开率', value: pct(f.reopenRate) },
    ...f.clocks.map((c) => ({ name: `${zhClock(c.clock)}及时率`, value: pct(c.rate) })),
  ];
  const trend = render({
    title: {
      text: '近13期投诉量趋势',
      left: 'center',
      textStyle: { fontSize: 14, fontFamily: FONT },
    },
    xAxis: {
      type: 'category',
      data: f.trend.map((t) => t.period),
      axisLabel: { interval: 0, rotate: 30 },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'line',
        data: f.trend.map((t) => t.count),
        symbol: 'circle',
        symbolSize: 6,
        label: { show: true },
        areaStyle: { opacity: 0.15 },
      },
    ],
  });
  return [
    { id: 'chart-kind', title: '按类型的受理量', svg: bars('按类型的受理量', kind) },
    { id: 'chart-line', title: '按业务线的投诉量', svg: bars('按业务线的投诉量', line) },
    { id: 'chart-trend', title: '近13期投诉量趋势', svg: trend },
    {
      id: 'chart-causes',
      title: '投诉原因分布',
      svg: bars('投诉原因分布', causes, { horizontal: true }),
    },
    {
      id: 'chart-rates',
      title: '满意率与及时率',
      svg: bars('满意率与及时率 (%)', rates, { percent: true }),
    },
  ];
}
