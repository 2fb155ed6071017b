// Zone maps: every element with data-map="<id of a json_script>" becomes an ECharts map.
// The JSON comes from maps/payload.py: {"name", "title", "metric": {"name", "unit"},
// "outlines": FeatureCollection (properties name, code, outer), "zones": [{"name", "kind", "region",
// "lng", "lat", "value", "href"}]}. Divisions are outlined and named, zones are labelled points
// coloured by their value with a legend for the scale; a zone without a value is grey.
(function () {
  const NO_VALUE = "#9aa3ad";

  function number(v) {
    return v == null ? "缺失" : v.toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function zoneTip(metric) {
    return (p) => {
      const z = p.data.zone;
      return `<b>${z.name}</b><br>${z.kind}<br>所在区划:${z.region}<br>` +
        `${metric.name}:${number(z.value)}${z.value == null ? "" : " " + metric.unit}`;
    };
  }

  function point(z) {
    return { name: z.name, value: [z.lng, z.lat, z.value], zone: z };
  }

  function option(data) {
    const metric = data.metric;
    const valued = data.zones.filter((z) => z.value != null);
    const missing = data.zones.filter((z) => z.value == null);
    const values = valued.map((z) => z.value);
    const low = Math.min(...values), high = Math.max(...values);
    const outer = data.outlines.features.filter((f) => f.properties.outer).map((f) => f.properties.name);
    const zoneLabel = {
      show: true, position: "right", formatter: "{b}", fontSize: 11, color: "#1f2933",
      textBorderColor: "#fff", textBorderWidth: 2,
    };
    const series = [{
      name: metric.name, type: "scatter", coordinateSystem: "geo", symbolSize: 11,
      data: valued.map(point), label: zoneLabel, labelLayout: { hideOverlap: true },
      itemStyle: { borderColor: "#fff", borderWidth: 1 }, emphasis: { scale: 1.6 },
      tooltip: { formatter: zoneTip(metric) }, z: 3,
    }];
    if (missing.length) {
      series.push({
        name: `无${metric.name}数据`, type: "scatter", coordinateSystem: "geo", symbolSize: 9,
        data: missing.map(point), label: zoneLabel, labelLayout: { hideOverlap: true },
        itemStyle: { color: NO_VALUE, borderColor: "#fff", borderWidth: 1 },
        tooltip: { formatter: zoneTip(metric) }, z: 2,
      });
    }
    return {
      title: { text: data.title, left: 0, top: 0, textStyle: { fontSize: 15 } },
      tooltip: { trigger: "item" },
      legend: { show: missing.length > 0, bottom: 4, right: 8, data: series.slice(1).map((s) => s.name) },
      visualMap: values.length ? {
        type: "continuous", seriesIndex: 0, dimension: 2, calculable: true,
        // One value (a single zone) has no range: the scale then runs from zero to it.
        min: low < high ? low : Math.min(0, low), max: low < high ? high : Math.max(0, high) || 1,
        text: ["高", "低"], left: 8, bottom: 8, itemHeight: 120,
        inRange: { color: ["#fdd49e", "#fc8d59", "#d7301f", "#7f0000"] },
        formatter: (v) => number(v),
      } : undefined,
      graphic: values.length ? [{
        type: "text", left: 8, bottom: 196, style: { text: `${metric.name}(${metric.unit})`, fontSize: 12, fill: "#333" },
      }] : [],
      geo: {
        map: data.name, roam: true, top: 40, bottom: 20, left: 120, right: 20,
        label: { show: true, color: "#6b7785", fontSize: 11 },
        itemStyle: { areaColor: "#f3f5f8", borderColor: "#8a97a6", borderWidth: 1 },
        emphasis: { label: { show: true, color: "#1f2933" }, itemStyle: { areaColor: "#e2e8f0" } },
        tooltip: { show: true, formatter: (p) => p.name },
        regions: outer.map((name) => ({
          name, silent: true, label: { show: false },
          itemStyle: { areaColor: "rgba(0,0,0,0)", borderColor: "#2d3b4e", borderWidth: 2.5 },
        })),
      },
      series: series,
    };
  }

  // Without loaded outlines the zones still need a frame: their bounding box, drawn invisibly.
  function frame(zones) {
    const lng = zones.map((z) => z.lng), lat = zones.map((z) => z.lat);
    const w = Math.min(...lng) - 0.2, e = Math.max(...lng) + 0.2, s = Math.min(...lat) - 0.2, n = Math.max(...lat) + 0.2;
    return { type: "Feature", properties: { name: "", outer: true },
             geometry: { type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } };
  }

  function render(el) {
    if (el.dataset.drawn) return;
    el.dataset.drawn = "1";
    const data = JSON.parse(document.getElementById(el.dataset.map).textContent);
    // The outer division last, so its heavy border is drawn over its children's.
    const features = [...data.outlines.features].sort((a, b) => a.properties.outer - b.properties.outer);
    if (!features.length && data.zones.length) features.push(frame(data.zones));
    echarts.registerMap(data.name, { type: "FeatureCollection", features: features });
    el.style.height = "560px";
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(data));
    chart.on("click", (p) => { if (p.data && p.data.zone && p.data.zone.href) window.location.href = p.data.zone.href; });
    window.addEventListener("resize", () => chart.resize());
  }
  function renderAll(root) { root.querySelectorAll("[data-map]").forEach(render); }
  document.addEventListener("DOMContentLoaded", () => renderAll(document));
  document.addEventListener("htmx:afterSwap", (e) => renderAll(e.target));
})();
