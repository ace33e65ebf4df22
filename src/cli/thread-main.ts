/** Entry of the thread `feedctl run` does its work in (run-thread.ts): the CLI with the process's arguments. */
import { run } from './main.js';

process.exit(await run(process.argv));
