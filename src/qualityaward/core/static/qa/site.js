// Behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});
