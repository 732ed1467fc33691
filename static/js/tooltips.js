// Bootstrap tooltips for elements marked with data-bs-toggle="tooltip", such
// as the status badges. The text is also in the element for screen readers.
document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach((element) => {
  bootstrap.Tooltip.getOrCreateInstance(element);
});
