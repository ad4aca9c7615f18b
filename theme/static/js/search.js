// The search page only: Pagefind's UI over the static index, in bundles (the
// recent stories, then one per year or half-year, newest first, in
// data-bundles), merged into one list of results.
window.addEventListener("DOMContentLoaded", () => {
  const element = document.querySelector("#search");
  // The bundles are written relative to this page; Pagefind needs full URLs.
  const [newest, ...older] = element.dataset.bundles
    .split(" ")
    .map((path) => new URL(path, document.baseURI).href);
  // eslint-disable-next-line no-undef
  const ui = new PagefindUI({
    element: "#search",
    bundlePath: newest,
    mergeIndex: older.map((bundlePath) => ({ bundlePath })),
    showSubResults: false,
    showImages: false,
    autofocus: true,
  });
  // /search/?q=ferry searches at once: a link, a bookmark or a browser's
  // site search can name the query.
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) ui.triggerSearch(asked);
  // Pagefind's input has only a title; screen readers need a real label.
  const label = () => {
    const input = document.querySelector(".pagefind-ui__search-input");
    if (input) input.setAttribute("aria-label", "Search all stories");
    else requestAnimationFrame(label);
  };
  label();
});
