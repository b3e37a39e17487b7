// htmx and what the person sees when a request does not go as planned (no inline script: CSP).
// - A refused form (422, see the htmx-config meta in base.html) is swapped in with its errors: the first
//   invalid field gets the focus, so that the error is in view and read out.
// - Any other failed request (4xx, 5xx) or a server out of reach is never silent: the alert in
//   <template id="galat-htmx-template"> (base.html, translated there) shows at the top of the window.
(function () {
  "use strict";

  function showError(kind, status) {
    var template = document.getElementById("galat-htmx-template");
    var area = document.getElementById("galat-htmx");
    if (!template || !area) { return; }
    var alert = template.content.firstElementChild.cloneNode(true);
    alert.querySelectorAll("[data-galat]").forEach(function (text) {
      if (text.dataset.galat !== kind) { text.remove(); }
    });
    alert.querySelector("[data-kode]").textContent = status ? "(HTTP " + status + ")" : "";
    area.replaceChildren(alert);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    showError(status >= 500 ? "server" : "ditolak", status);
  });
  document.addEventListener("htmx:sendError", function () {
    showError("jaringan", 0);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      var invalid = document.querySelector("[aria-invalid='true']");
      if (invalid) { invalid.focus(); }
    }
  });
})();
