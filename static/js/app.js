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
