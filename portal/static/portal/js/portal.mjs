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
 * GOV.UK's Exit this page, leaving with location.replace() instead of a new history entry,
 * so that pressing Back on the neutral site does not bring this page back.
 */
class PortalExitThisPage extends ExitThisPage {
  exitPage() {
    document.body.classList.add("govuk-exit-this-page-hide-content");
    const overlay = document.createElement("div");
    overlay.className = "govuk-exit-this-page-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = "Loading.";
    document.body.appendChild(overlay);
    window.location.replace(this.$button.href);
  }
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
