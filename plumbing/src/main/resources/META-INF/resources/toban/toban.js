// Toban pages: refresh live fragments without a manual reload. An element with
// data-refresh="<url>" has its content replaced by the HTML the URL returns, every few seconds.
(function () {
  const seconds = Number(document.body.dataset.refreshSeconds || 5);
  function refresh(el) {
    fetch(el.dataset.refresh, { credentials: "same-origin", headers: { "X-Requested-With": "JavaScript" } })
      .then((r) => {
        if (r.status === 499 || r.status === 401) { location.reload(); return null; } // session ended
        return r.ok ? r.text() : null;
      })
      .then((html) => {
        if (html !== null && html !== undefined && el.innerHTML !== html) {
          el.innerHTML = html;
          el.dispatchEvent(new CustomEvent("toban:refreshed", { bubbles: true }));
        }
      })
      .catch(() => { /* offline for a moment: try again next time */ });
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-refresh]").forEach((el) => setInterval(() => refresh(el), seconds * 1000));
  });
})();

// A hidden field marked data-browser-zone gets the browser's own time zone when the server left it
// empty, so that "earlier" times in a form mean what the user's clock said.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-browser-zone]").forEach((input) => {
    if (!input.value && window.Intl) {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    }
  });
});
