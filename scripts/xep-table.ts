// Prints docs/xeps.md, the XEP/RFC support table of the default modules: `node --import tsx scripts/xep-table.ts > docs/xeps.md`.
import { defaultModules } from "../src/modules/index.ts";
import { renderXepDoc } from "../src/modules/xep-table.ts";
import { CORE_SPECS } from "../src/core/core-specs.ts";

process.stdout.write(renderXepDoc([CORE_SPECS, ...defaultModules]));
