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

// Readers' feedback (templates/feedback/prompt.html): sent without leaving the page, with the thanks
// shown in the forms' place and announced. Anything refused is sent again as a plain form post,
// so that the reader gets the page that says why, with what they typed.
for (const feedback of document.querySelectorAll('[data-module="app-feedback"]')) {
  const thanks = feedback.querySelector(".app-feedback__thanks");
  feedback.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.dataset.sendPlainly) {
      return;
    }
    event.preventDefault();
    let response;
    try {
      // The button pressed is part of what is sent: it says yes or no.
      response = await fetch(form.action, { method: "POST", body: new FormData(form, event.submitter) });
    } catch {
      response = null;
    }
    if (response?.ok && response.redirected) {
      feedback.replaceChildren(thanks);
      const message = document.createElement("p");
      message.className = "govuk-body govuk-!-font-weight-bold";
      message.textContent = "Thank you for your feedback.";
      thanks.replaceChildren(message);
      thanks.focus();
    } else {
      form.dataset.sendPlainly = "true";
      form.requestSubmit(event.submitter);
    }
  });
}
