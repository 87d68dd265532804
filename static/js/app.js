// Starts GOV.UK Frontend's components and opens a show/hide section when a link leads into it.
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";

initAll();

function openDetailsAround(fragment) {
  const target = document.getElementById(decodeURIComponent(fragment.slice(1)));
  const details = target?.closest("details");
  if (details) {
    details.open = true;
  }
  return target;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest('a[href^="#"]');
  if (link) {
    openDetailsAround(link.hash);
  }
});

if (window.location.hash) {
  openDetailsAround(window.location.hash)?.scrollIntoView();
}
