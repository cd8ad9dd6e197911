// Compiles the service stylesheet and copies GOV.UK Frontend's JavaScript into our own
// static files, so that no page ever loads anything from a third party.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "portal/static/govuk";
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
cpSync(`${dist}/assets/images/favicon.ico`, `${out}/assets/images/favicon.ico`);
console.log(`built ${out}`);
