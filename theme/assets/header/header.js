// The header's menu button (theme/partials/header.html, issue 17): a real button in place
// of Material's <label for="__drawer">, which the keyboard cannot reach. It toggles
// Material's own checkbox, by a click as Material itself does, so Material's CSS and scripts
// (the overlay, the scroll lock, closing on navigation) follow the drawer as they always do.
(() => {
  const toggle = document.getElementById("__drawer");
  const button = document.querySelector(".portal-menu-button");
  const drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !button || !drawer) return;
  const narrow = window.matchMedia("(max-width: 76.234375em)");
  drawer.id = drawer.id || "portal-drawer";
  button.setAttribute("aria-controls", drawer.id);

  const open = () => toggle.checked && narrow.matches;
  const close = (focusButton) => {
    if (toggle.checked) toggle.click();
    if (focusButton) button.focus();
  };
  toggle.addEventListener("change", () => {
    button.setAttribute("aria-expanded", String(toggle.checked));
  });
  button.addEventListener("click", () => {
    toggle.click();
    button.setAttribute("aria-expanded", String(toggle.checked));
    // The open drawer covers the header: the focus goes to its first link.
    const first = toggle.checked && drawer.querySelector("a[href]");
    if (first) first.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && open()) {
      event.preventDefault();
      close(true);
    }
  });
  // Tabbing out of the open drawer (into the page it covers) closes it. A click on a part
  // of the drawer that takes no focus (a section's label) moves the focus nowhere: no
  // relatedTarget, and the drawer stays open.
  drawer.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (open() && next instanceof Node && !drawer.contains(next)) close(next === button);
  });
})();
