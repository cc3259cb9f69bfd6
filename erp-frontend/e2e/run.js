// Runs the end-to-end suites with node's test runner, one file at a time (they share one stack).
// Extra arguments go to `node --test`, e.g. reporters:
//   npm run e2e -- --test-reporter=spec --test-reporter-destination=stdout \
//                  --test-reporter=junit --test-reporter-destination=report.xml
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((name) => name.endsWith(".test.js"))
  .sort()
  .map((name) => path.join(here, name));
const args = ["--test", "--test-concurrency=1", ...process.argv.slice(2), ...files];
const child = spawn(process.execPath, args, { stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
