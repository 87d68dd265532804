// Starts GOV.UK Frontend's components and opens a show/hide section when a link leads into it; wires
// the print buttons and the "Contents" link that GOV.UK's guidance pages carry.
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

// The print buttons are shown only where this script runs (app.scss), so none is ever dead.
for (const button of document.querySelectorAll('[data-module="app-print-link"]')) {
  button.addEventListener("click", () => window.print());
}

// The "Contents" link at the end of the sections is a plain link without JavaScript. Here it waits
// at the foot of the window (app.scss), shown only once the contents list has scrolled up out of view.
const contentsList = document.getElementById("contents");
const contentsLink = document.querySelector(".gem-c-contents-list-with-body__link-wrapper");
if (contentsList && contentsLink) {
  new IntersectionObserver(([entry]) => {
    const scrolledPast = !entry.isIntersecting && entry.boundingClientRect.top < 0;
    contentsLink.classList.toggle("gem-c-contents-list-with-body__link-wrapper--shown", scrolledPast);
  }).observe(contentsList);
}
