// Trend charts: every element with data-chart="<id of a json_script>" becomes an ECharts line chart.
// The JSON is {"categories": [...], "series": [{"name": "...", "unit": "...", "values": [... or null]}]}.
(function () {
  function render(el) {
    const data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    const chart = echarts.init(el, null, { renderer: "svg" });
    const units = [...new Set(data.series.map((s) => s.unit))];
    chart.setOption({
      color: ["#0b4aa2", "#e08a1e", "#1e8e3e", "#8e44ad", "#c0392b", "#16a085"],
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "缺失" : v.toLocaleString("zh-CN")) },
      legend: { top: 0 },
      grid: { left: 60, right: units.length > 1 ? 60 : 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.categories.map(String), axisLabel: { interval: 0 } },
      yAxis: units.map((u) => ({ type: "value", name: u, scale: true })),
      series: data.series.map((s) => ({
        name: s.name, type: el.dataset.type || "line", smooth: false, connectNulls: false, symbolSize: 7,
        yAxisIndex: units.indexOf(s.unit), data: s.values,
      })),
    });
    window.addEventListener("resize", () => chart.resize());
  }
  function renderAll(root) { root.querySelectorAll("[data-chart]").forEach(render); }
  document.addEventListener("DOMContentLoaded", () => renderAll(document));
  document.addEventListener("htmx:afterSwap", (e) => renderAll(e.target));
})();
