// Charts: every element with data-chart="<id of a json_script>" becomes an ECharts chart.
// The JSON comes from core/charts.py, which decides the layout (orientation, scroll, stacking,
// legend, axes from zero); this file only draws what it is told:
// {"title", "note", "categories": [...], "series": [{"name", "unit", "kind", "values"}],
//  "axes": [{"unit", "kind", "min", "integer"}],
//  "layout": {"mark", "orientation", "zoom", "stack", "legend"}}
(function () {
  const COLOURS = ["#0b4aa2", "#e08a1e", "#1e8e3e", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d"];
  const ROW_PX = 26;

  function number(v) {
    return v == null ? "缺失" : v.toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function valueAxes(data) {
    return data.axes.map((axis, i) => ({
      type: "value", name: axis.unit, min: axis.min == null ? undefined : axis.min,
      scale: axis.min == null, minInterval: axis.integer ? 1 : undefined,
      position: i === 0 ? undefined : (data.layout.orientation === "horizontal" ? "top" : "right"),
      axisLabel: { formatter: (v) => v.toLocaleString("zh-CN") },
      nameTextStyle: { align: data.layout.orientation === "horizontal" ? "left" : "center" },
    }));
  }

  function option(data) {
    const layout = data.layout;
    const horizontal = layout.orientation === "horizontal";
    const shown = layout.zoom || data.categories.length;
    const units = data.axes.map((a) => a.unit);
    const categoryAxis = {
      type: "category", data: data.categories, inverse: horizontal,
      axisLabel: horizontal ? { width: 180, overflow: "truncate" } : { interval: 0, hideOverlap: true },
    };
    const zoom = layout.zoom ? [
      { type: "inside", [horizontal ? "yAxisIndex" : "xAxisIndex"]: 0, startValue: 0, endValue: shown - 1,
        zoomLock: true, zoomOnMouseWheel: false, moveOnMouseWheel: true },
      { type: "slider", [horizontal ? "yAxisIndex" : "xAxisIndex"]: 0, startValue: 0, endValue: shown - 1,
        width: horizontal ? 14 : undefined, height: horizontal ? undefined : 14,
        right: horizontal ? 6 : undefined, bottom: horizontal ? undefined : 4,
        showDetail: false, brushSelect: false },
    ] : [];
    const top = 44 + (layout.legend ? 26 : 0);
    return {
      color: COLOURS,
      title: { text: data.title, subtext: data.note, left: 0, top: 0,
               textStyle: { fontSize: 15 }, subtextStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", axisPointer: { type: layout.mark === "bar" ? "shadow" : "line" },
                 valueFormatter: number },
      legend: { show: layout.legend, top: 40, type: "scroll" },
      grid: { left: horizontal ? 190 : 64, right: layout.zoom && horizontal ? 40 : (units.length > 1 ? 64 : 24),
              top: top, bottom: layout.zoom && !horizontal ? 44 : 28, containLabel: false },
      dataZoom: zoom,
      xAxis: horizontal ? valueAxes(data) : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxes(data),
      series: data.series.map((s) => ({
        name: s.name, type: layout.mark, smooth: false, connectNulls: false, symbolSize: 7,
        stack: layout.stack ? "total" : undefined, barMaxWidth: 28,
        [horizontal ? "xAxisIndex" : "yAxisIndex"]: units.indexOf(s.unit), data: s.values,
        tooltip: { valueFormatter: (v) => number(v) + (v == null ? "" : " " + s.unit) },
      })),
    };
  }

  function render(el) {
    if (el.dataset.drawn) return;
    el.dataset.drawn = "1";
    const data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    if (data.layout.orientation === "horizontal") {
      const rows = data.layout.zoom || data.categories.length;
      el.style.height = Math.max(300, rows * ROW_PX + 110) + "px";
    }
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(data));
    window.addEventListener("resize", () => chart.resize());
  }
  function renderAll(root) { root.querySelectorAll("[data-chart]").forEach(render); }
  document.addEventListener("DOMContentLoaded", () => renderAll(document));
  document.addEventListener("htmx:afterSwap", (e) => renderAll(e.target));
})();
