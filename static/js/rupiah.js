// Rupiah inputs (pengadaan.forms.RupiahInput, marked data-rupiah): as the person leaves the field, its
// amount is shown with "." between thousands ("1450200" → "1.450.200", "1450200,5" → "1.450.200,50").
// The server parses and checks the amount whatever its shape; anything this script cannot read is left as
// typed, for the server to explain. Delegated from the document: it also works in forms htmx swaps in.
(function () {
  "use strict";

  function grouped(text) {
    var value = text.replace(/\s+/g, "").replace(/^rp\.?/i, "");
    var match;
    if (/^\d+$/.test(value)) {
      match = [value, ""];
    } else if (/^\d{1,3}(\.\d{3})+$/.test(value)) {
      match = [value.replace(/\./g, ""), ""];
    } else if (/^(\d{1,3}(\.\d{3})*|\d+),\d{1,2}$/.test(value)) {
      var parts = value.split(",");
      match = [parts[0].replace(/\./g, ""), parts[1].padEnd(2, "0")];
    } else {
      return null;
    }
    var whole = match[0].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return match[1] && match[1] !== "00" ? whole + "," + match[1] : whole;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-rupiah]")) { return; }
    var text = grouped(input.value);
    if (text !== null && text !== input.value) { input.value = text; }
  });
})();
