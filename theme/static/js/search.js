// The search page only: Pagefind's UI over the static index in /pagefind/.
window.addEventListener("DOMContentLoaded", () => {
  // eslint-disable-next-line no-undef
  new PagefindUI({ element: "#search", showSubResults: false, showImages: false, autofocus: true });
});
