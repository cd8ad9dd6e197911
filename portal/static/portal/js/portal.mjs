import {
  Accordion,
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  ExitThisPage,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
  Tabs,
  createAll,
} from "../../govuk/govuk-frontend.min.js";

/**
 * Leave at once for the exit URL: blank the page first, then replace it in history
 * (location.replace) so that pressing Back on the neutral site does not bring it back.
 */
function leave(href) {
  document.body.classList.add("govuk-exit-this-page-hide-content");
  const overlay = document.createElement("div");
  overlay.className = "govuk-exit-this-page-overlay";
  overlay.setAttribute("role", "alert");
  overlay.textContent = "Loading.";
  document.body.appendChild(overlay);
  window.location.replace(href);
}

/** GOV.UK's Exit this page (its button, skip link and Shift three times), leaving by `leave`. */
class PortalExitThisPage extends ExitThisPage {
  exitPage() {
    leave(this.$button.href);
  }
}

// Other exit links (such as the footer's) leave the same way as the button.
for (const link of document.querySelectorAll("a.portal-js-exit-link")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    leave(link.href);
  });
}

for (const Component of [
  Accordion,
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
  Tabs,
  PortalExitThisPage,
]) {
  createAll(Component);
}
