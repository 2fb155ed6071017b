// Zone profile charts: a radar of dimension scores against the group mean, and rank history with
// its 5th–95th interval (rank 1 at the top). Data come from json_script elements.
(function () {
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  function radar(el) {
    const d = data(el.dataset.radar);
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: ["#0b4aa2", "#e08a1e"], legend: { top: 0 }, tooltip: {},
      radar: { indicator: d.labels.map((name) => ({ name, max: 100 })), radius: "62%" },
      series: [{ type: "radar", data: [
        { name: "本区", value: d.own, areaStyle: { opacity: 0.15 } },
        { name: "组内平均", value: d.group, areaStyle: { opacity: 0.1 } },
      ] }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  function history(el) {
    const d = data(el.dataset.rankHistory);
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: ["#0b4aa2", "#e08a1e"], tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: d.categories.map(String) },
      yAxis: { type: "value", inverse: true, minInterval: 1, name: "名次" },
      series: [
        { name: "区间下限(P5)", type: "line", data: d.low, symbol: "none", color: "#e08a1e", lineStyle: { type: "dashed" } },
        { name: "公布名次", type: "line", data: d.rank, symbolSize: 8, color: "#0b4aa2", label: { show: true } },
        { name: "区间上限(P95)", type: "line", data: d.high, symbol: "none", color: "#e08a1e", lineStyle: { type: "dashed" } },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-radar]").forEach(radar);
    document.querySelectorAll("[data-rank-history]").forEach(history);
  });
})();
