// Copy buttons: <button data-copy="<input id>"> copies that input's value. Without JS the field is still selectable.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  button.addEventListener("click", () => {
    const field = document.getElementById(button.dataset.copy);
    field.select();
    const done = () => { button.textContent = button.dataset.copied; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value).then(done, () => { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
});
