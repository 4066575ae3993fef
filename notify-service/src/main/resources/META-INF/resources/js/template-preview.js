// Templates page: a live preview in each language. As the admin types, the text is posted (debounced) to
// the textarea's data-preview-url with the page's CSRF token; the HTML fragment that comes back (the
// rendered message, or the problem in the page language) replaces the preview. Without JavaScript the
// "Show preview" button does the same with a full page.
(function () {
  const WAIT_MS = 400;
  function hook(area, csrf) {
    const target = document.getElementById(area.dataset.previewTarget);
    const error = document.getElementById(area.dataset.errorTarget);
    let timer = null;
    let sent = 0;
    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const mine = ++sent;
        fetch(area.dataset.previewUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf,
                     "X-Requested-With": "JavaScript" },
          body: new URLSearchParams({ locale: area.dataset.locale, source: area.value })
        })
          .then((r) => (r.status === 200 || r.status === 400 ? r.text().then((html) => ({ ok: r.ok, html })) : null))
          .then((answer) => {
            if (!answer || mine !== sent) { return; } // a newer preview is on its way
            target.innerHTML = answer.html;
            area.setAttribute("aria-invalid", answer.ok ? "false" : "true");
            if (error) {
              const problem = answer.ok ? null : target.querySelector(".field-error");
              error.textContent = problem ? problem.textContent : "";
              error.hidden = !problem;
            }
            target.dispatchEvent(new CustomEvent("toban:previewed", { bubbles: true }));
          })
          .catch(() => { /* offline or signed out: the Show preview button still works */ });
      }, WAIT_MS);
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    const token = document.querySelector("input[name=csrf]");
    document.querySelectorAll("textarea[data-preview-url]").forEach((area) => hook(area, token ? token.value : ""));
  });
})();
