// The RUP picker of the record form (templates/pengadaan/partials/rup_picker.html). Without JavaScript it
// is a plain list of checkboxes; with it:
// - the filter above the list hides the packages whose code and name do not contain what was typed;
// - choosing packages fills "Nama paket" with the first chosen package's name and "Pagu" with the sum of
//   their pagu, as long as the person has left those fields empty or as this script filled them.
(function () {
  "use strict";

  function grouped(amount) {
    // 1450200.5 → "1.450.200,50" (as the server shows it; the server parses it back)
    var fixed = amount.toFixed(2).split(".");
    var whole = fixed[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return fixed[1] === "00" ? whole : whole + "," + fixed[1];
  }

  function cents(text) {
    var parts = String(text).split(".");
    return parseInt(parts[0], 10) * 100 + parseInt((parts[1] || "0").padEnd(2, "0").slice(0, 2), 10);
  }

  function fill(input, value) {
    // only a field left empty, or holding what this script put there, is (re)filled
    if (!input) { return; }
    if (input.value === "" || input.value === input.dataset.terisiOtomatis) {
      input.value = value;
      input.dataset.terisiOtomatis = value;
    }
  }

  function setUp(picker) {
    var form = picker.closest("form");
    var filter = picker.querySelector("[data-rup-filter]");
    var items = Array.prototype.slice.call(picker.querySelectorAll("[data-rup-item]"));
    var none = picker.querySelector("[data-rup-none]");
    var count = picker.querySelector("[data-rup-count]");
    var nama = form.querySelector("[name='nama_paket']");
    var pagu = form.querySelector("[name='pagu']");

    function chosen() {
      return items.map(function (item) { return item.querySelector("input[type='checkbox']"); })
        .filter(function (box) { return box.checked; });
    }

    function showCount() {
      var n = chosen().length;
      count.textContent = n ? count.dataset.template.replace("{n}", n) : "";
    }

    filter.hidden = false;
    count.dataset.template = picker.dataset.countTemplate || "{n}";
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (none) { none.hidden = shown !== 0 || items.length === 0; }
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter in the filter does not submit the form
    });
    picker.addEventListener("change", function () {
      var boxes = chosen();
      showCount();
      if (!boxes.length) { return; }
      fill(nama, boxes[0].dataset.nama);
      var total = boxes.reduce(function (sum, box) { return sum + cents(box.dataset.pagu); }, 0);
      fill(pagu, grouped(total / 100));
    });
    showCount();
  }

  document.querySelectorAll("[data-rup-picker]").forEach(setUp);
})();
