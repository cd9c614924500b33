// Material's search overlay is a role="dialog" without a name (axe: aria-dialog-name).
// Naming it here keeps us on Material's own partial instead of a forked copy.
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  if (!dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
});
