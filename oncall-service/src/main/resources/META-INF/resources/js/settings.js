// Settings pages. Everything works without JavaScript; this only adds conveniences:
// - up/down buttons (data-move) reorder a layer's members and renumber their order fields, which are
//   what the server reads (without JavaScript the numbers are typed);
// - a submit button with data-confirm asks before it submits (archive, remove an override).
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const move = event.target.closest("button[data-move]");
  if (move) {
    const row = move.closest("tr");
    const sibling = move.dataset.move === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (sibling) {
      if (move.dataset.move === "up") {
        row.parentNode.insertBefore(row, sibling);
      } else {
        row.parentNode.insertBefore(sibling, row);
      }
      row.parentNode.querySelectorAll("input.order").forEach((input, i) => { input.value = String(i + 1); });
      move.focus();
    }
    return;
  }
  const confirmed = event.target.closest("[data-confirm]");
  if (confirmed && !window.confirm(confirmed.dataset.confirm)) {
    event.preventDefault();
  }
});
// - a contact method's address field shows the format of the type chosen (data-hint-<type> on the select).
document.addEventListener("change", (event) => {
  const type = event.target.closest("select[data-hint-sms]");
  if (!type) {
    return;
  }
  const address = type.closest("tr, form").querySelector("input[name$='address']");
  if (address) {
    address.placeholder = type.dataset["hint" + type.value.charAt(0).toUpperCase() + type.value.slice(1)] || "";
    address.inputMode = type.value === "sms" || type.value === "voice" ? "tel" : "text";
  }
});
