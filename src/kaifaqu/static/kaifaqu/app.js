// Page behaviour that the Content-Security-Policy keeps out of the templates (no inline script, event
// attribute or style attribute): data-width="40" sets a bar's width in percent, data-heat="<colour>"
// a tile's background, and a form with data-confirm="<question>" asks before it is submitted.
// Styles set through the CSSOM (element.style) are allowed by the policy; style="" markup is not.
(function () {
  function each(root, selector, apply) {
    if (root.matches && root.matches(selector)) apply(root);
    root.querySelectorAll(selector).forEach(apply);
  }
  function paint(root) {
    each(root, "[data-width]", (el) => { el.style.width = `${Number(el.dataset.width) || 0}%`; });
    each(root, "[data-heat]", (el) => { el.style.backgroundColor = el.dataset.heat; });
  }
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", () => paint(document));
  // htmx fires htmx:load on every fragment it swaps in (a job's progress bar polls this way).
  document.addEventListener("htmx:load", (event) => paint(event.target));
})();
