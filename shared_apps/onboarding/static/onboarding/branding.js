// Shows a chosen logo in the preview before it is uploaded (nothing leaves the page).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.name !== "logo" || !input.files || !input.files[0]) return;
  const logo = document.getElementById("preview-logo");
  if (!logo) return;
  logo.src = URL.createObjectURL(input.files[0]);
  logo.hidden = false;
});
// The preview is replaced by htmx: keep a logo chosen but not yet uploaded.
document.addEventListener("htmx:afterSwap", () => {
  const input = document.querySelector('input[name="logo"]');
  const logo = document.getElementById("preview-logo");
  if (input && input.files && input.files[0] && logo) {
    logo.src = URL.createObjectURL(input.files[0]);
    logo.hidden = false;
  }
});
