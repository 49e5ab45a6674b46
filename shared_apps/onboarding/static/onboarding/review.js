// One click creates the site: the button is disabled while the server works (the
// server is idempotent anyway: a second submit returns the same territory).
(function () {
  const form = document.getElementById("create-form");
  if (!form) return;
  form.addEventListener("submit", () => {
    const button = document.getElementById("create-site");
    const status = document.getElementById("create-status");
    window.setTimeout(() => { if (button) button.disabled = true; }, 0);
    if (status) status.textContent = form.dataset.busyText || "";
  });
})();
