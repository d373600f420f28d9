/* The console's charts: every <canvas> with a JSON spec beside it (web/charts.py) drawn with Chart.js.
 *
 * The data table beside each chart is the page without JavaScript; this only adds the picture.
 * Numbers are formatted in the page's language (<html lang>: es-CL by default, a decimal comma),
 * nothing animates (a page prints as it is), and two small plugins of ours write each bar's value
 * (with its share) at its end and draw a budget as a vertical line.
 */
(function () {
  "use strict";

  const locale = document.documentElement.lang || "es-CL";
  const counts = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pesos = new Intl.NumberFormat(locale, { style: "currency", currency: "CLP", maximumFractionDigits: 0 });
  const FORMATS = { count: (v) => counts.format(v), number: (v) => numbers.format(v), money: (v) => pesos.format(v) };
  const COLOURS = ["#0b5cad", "#e07b00", "#1e7b34", "#8a3ffc", "#b0263b", "#5a6570"];
  const HIGHLIGHT = "#1e7b34";
  const INK = "#1d2329";
  const FONT = "13px system-ui, sans-serif";

  function valueText(spec, series, i) {
    const value = series.values[i];
    if (value === null || value === undefined || Array.isArray(value)) return "";
    const text = FORMATS[spec.format](value);
    return series.shares ? `${text} (${numbers.format(series.shares[i])} %)` : text;
  }

  /* Each bar's value (and share) written at its end, so the chart reads without hovering. */
  const valueLabels = {
    id: "alValueLabels",
    afterDatasetsDraw(chart, _args, options) {
      const spec = options.spec;
      if (!spec) return;
      const { ctx } = chart;
      ctx.save();
      ctx.font = FONT;
      ctx.fillStyle = INK;
      spec.series.forEach((series, d) => {
        const meta = chart.getDatasetMeta(d);
        if (series.kind !== "bar" || meta.hidden) return;
        meta.data.forEach((bar, i) => {
          const text = valueText(spec, series, i);
          if (spec.horizontal) {
            ctx.textAlign = "left";
            ctx.textBaseline = "middle";
            ctx.fillText(text, bar.x + 4, bar.y);
          } else {
            ctx.textAlign = "center";
            ctx.textBaseline = "bottom";
            ctx.fillText(text, bar.x, bar.y - 2);
          }
        });
      });
      ctx.restore();
    },
  };

  /* A budget: a dashed vertical line at its amount on the cost axis, named at the top. */
  const budgetLine = {
    id: "alBudget",
    afterDatasetsDraw(chart, _args, options) {
      if (!options.value || !chart.scales.cost) return;
      const { ctx, chartArea } = chart;
      const x = chart.scales.cost.getPixelForValue(options.value);
      ctx.save();
      ctx.strokeStyle = "#b0263b";
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      const text = `${options.label} ${pesos.format(options.value)}`;
      ctx.font = FONT;
      ctx.setLineDash([]);
      const width = ctx.measureText(text).width;
      const left = Math.max(chartArea.left, x - width - 8);
      ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
      ctx.fillRect(left, chartArea.bottom - 20, width + 6, 18);
      ctx.fillStyle = "#b0263b";
      ctx.textAlign = "left";
      ctx.textBaseline = "bottom";
      ctx.fillText(text, left + 3, chartArea.bottom - 4);
      ctx.restore();
    },
  };

  function dataset(spec, series, d) {
    const colour = COLOURS[d % COLOURS.length];
    if (series.kind === "point") {
      return { type: "line", label: series.label, data: series.values, showLine: false, pointRadius: 7,
               pointHoverRadius: 8, backgroundColor: INK, borderColor: INK, clip: false, order: 0 };
    }
    const colours = series.highlight ? series.highlight.map((on) => (on ? HIGHLIGHT : colour)) : colour;
    return { type: "bar", label: series.label, data: series.values, backgroundColor: series.kind === "range" ? "#b8c4d0" : colours,
             barPercentage: series.kind === "range" ? 0.35 : 0.8, order: 1 };
  }

  function config(spec) {
    const value = spec.horizontal ? "x" : "y";
    const category = spec.horizontal ? "y" : "x";
    const format = FORMATS[spec.format];
    const datasets = spec.series.map((series, d) => dataset(spec, series, d));
    const scales = {
      [value]: { beginAtZero: true, max: spec.max, grace: spec.max ? 0 : "20%",
                 title: { display: true, text: spec.valueAxis },
                 ticks: { precision: spec.format === "count" ? 0 : undefined, callback: (v) => format(v) } },
      [category]: { title: { display: true, text: spec.categoryAxis } },
    };
    if (spec.line) {
      datasets.push({ type: "line", label: spec.line.label, data: spec.line.values, xAxisID: "cost",
                      borderColor: "#b0263b", backgroundColor: "#b0263b", stepped: false, order: 0 });
      scales.cost = { position: "top", beginAtZero: true, suggestedMax: spec.budget ? spec.budget.value * 1.1 : undefined,
                      title: { display: true, text: spec.line.axis }, grid: { drawOnChartArea: false },
                      ticks: { callback: (v) => pesos.format(v) } };
    }
    return {
      data: { labels: spec.labels, datasets },
      options: {
        indexAxis: category,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales,
        plugins: {
          legend: { display: Boolean(spec.legend) },
          title: { display: false },
          subtitle: { display: Boolean(spec.note), text: spec.note || "" },
          tooltip: { callbacks: { label: (item) => tooltip(spec, item) } },
          alValueLabels: { spec },
          alBudget: spec.budget || {},
        },
      },
      plugins: [valueLabels, budgetLine],
    };
  }

  function tooltip(spec, item) {
    const raw = item.raw;
    if (Array.isArray(raw)) return `${item.dataset.label}: ${numbers.format(raw[0])} – ${numbers.format(raw[1])}`;
    if (item.dataset.xAxisID === "cost") return `${item.dataset.label}: ${pesos.format(raw)}`;
    const series = spec.series[item.datasetIndex];
    return `${item.dataset.label}: ${series ? valueText(spec, series, item.dataIndex) : FORMATS[spec.format](raw)}`;
  }

  function draw(canvas, spec) {
    const bars = spec.labels.length * Math.max(1, spec.series.filter((s) => s.kind === "bar").length);
    const extra = (spec.legend ? 30 : 0) + (spec.line ? 60 : 0) + (spec.note ? 20 : 0);
    const height = spec.horizontal ? Math.max(160, bars * 34 + 90) : 280;
    canvas.parentElement.style.height = `${height + extra}px`;
    return new window.Chart(canvas, config(spec));
  }

  function drawAll() {
    if (!window.Chart) return;
    document.querySelectorAll("script.chart-data").forEach((island) => {
      const canvas = document.getElementById(island.id.replace(/-data$/, ""));
      if (canvas && !window.Chart.getChart(canvas)) draw(canvas, JSON.parse(island.textContent));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
