// The search page only: Pagefind's UI over the static index in /pagefind/.
window.addEventListener("DOMContentLoaded", () => {
  // eslint-disable-next-line no-undef
  new PagefindUI({ element: "#search", showSubResults: false, showImages: false, autofocus: true });
  // Pagefind's input has only a title; screen readers need a real label.
  const label = () => {
    const input = document.querySelector(".pagefind-ui__search-input");
    if (input) input.setAttribute("aria-label", "Search all stories");
    else requestAnimationFrame(label);
  };
  label();
});
