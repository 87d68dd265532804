// The GOV.UK page template's check, in a file so the Content-Security-Policy needs no inline script:
// components are styled for JavaScript only when the browser will also run GOV.UK Frontend's modules.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
