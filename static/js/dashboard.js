// Dashboard charts (Chart.js, vendored). Data comes from <script type="application/json"> blocks
// rendered with Django's json_script, so the page needs no inline script (CSP).
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function draw() {
    var grafik = data("data-grafik");
    if (!grafik || typeof Chart === "undefined") { return; }
    var entri = document.getElementById("grafik-entri");
    if (entri) {
      new Chart(entri, {
        type: "bar",
        data: { labels: grafik.bulan, datasets: [{ label: entri.dataset.label, data: grafik.entri, backgroundColor: "#0d6efd" }] },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
    var kurva = document.getElementById("grafik-kurva");
    if (kurva) {
      new Chart(kurva, {
        type: "line",
        data: {
          labels: grafik.kurva_bulan,
          datasets: [
            { label: kurva.dataset.labelTercatat, data: grafik.tercatat, borderColor: "#198754", tension: 0.2 },
            { label: kurva.dataset.labelTarget, data: grafik.target, borderColor: "#6c757d", borderDash: [6, 4], tension: 0.2 }
          ]
        },
        options: { scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } } }
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
