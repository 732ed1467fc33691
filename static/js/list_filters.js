// Leave empty fields out of the requests overview's address when the filter
// form is sent, so a copied or saved link contains only the filters in use.
document.querySelectorAll("form[data-drop-empty-fields]").forEach((form) => {
  let dropped = [];
  form.addEventListener("submit", () => {
    dropped = Array.from(form.querySelectorAll("input[name], select[name]")).filter(
      (field) => !field.disabled && field.value === "",
    );
    dropped.forEach((field) => {
      field.disabled = true;
    });
  });
  // The Back button shows the page from the browser's cache, with the fields
  // still disabled, so they are enabled again.
  window.addEventListener("pageshow", () => {
    dropped.forEach((field) => {
      field.disabled = false;
    });
    dropped = [];
  });
});
