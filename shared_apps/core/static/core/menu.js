/* The header's menu button on narrow screens. Without this script the button stays
   hidden and the whole menu shows (the page still works). */
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!button || !menu) return;
  var narrow = window.matchMedia("(max-width: 47.99rem)");
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("site-menu--closed", !open);
  }
  function fit() {
    button.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
  fit();
})();
