// "Copy" buttons: <button data-copy="<id of the element whose text to copy>" data-copied="<thanks text>" hidden>.
// Without JavaScript (or a clipboard) the buttons stay hidden and the text stays selectable as it is.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    if (!source) {
      return;
    }
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(source.textContent).then(() => {
        button.textContent = button.dataset.copied || label;
        setTimeout(() => { button.textContent = label; }, 2000);
      }).catch(() => {
        // the clipboard was refused: select the text so Ctrl+C works
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      });
    });
  });
});
