// Compiles the service stylesheet and copies GOV.UK Frontend's JavaScript into our own
// static files, so that no page ever loads anything from a third party.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "portal/static/govuk";
// Built afresh: nothing an earlier build copied (such as GOV.UK's crown icons) lingers.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const css = sass.compile("assets/portal.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/portal.css`, css.css);
const dist = "node_modules/govuk-frontend/dist/govuk";
cpSync(`${dist}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
// The service's own icons (assets/icons), never GOV.UK's crown: not its favicons, its
// apple-touch/manifest icons or its crest.
for (const icon of ["favicon.ico", "favicon.svg", "apple-touch-icon.png"]) {
  cpSync(`assets/icons/${icon}`, `${out}/icons/${icon}`);
}
console.log(`built ${out}`);
