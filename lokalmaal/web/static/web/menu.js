// The main menu folds behind a "Menu" button on narrow screens. Without this script (or on wide
// screens) every link is shown, so nothing depends on it.
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-toggle]");
  var menu = document.getElementById(button ? button.getAttribute("aria-controls") : "");
  if (!button || !menu) return;
  var narrow = window.matchMedia("(max-width: 48em)");
  function fold(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-folded", !open && narrow.matches);
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    fold(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && narrow.matches) {
      fold(false);
      button.focus();
    }
  });
  narrow.addEventListener("change", function () { fold(false); });
  fold(false);
})();
