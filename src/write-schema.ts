import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchema } from "./config/config.js";
import { projectRoot } from "./pipeline/classifier.js";

/** `npm run schema`: write the configuration's JSON schema for editors. */
const dir = join(projectRoot(), "schema");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "xen-triage.schema.json"), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`${join("schema", "xen-triage.schema.json")} written\n`);
