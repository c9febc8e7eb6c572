#!/usr/bin/env node
// The `netcanvas` command: registers tsx's ESM loader so Node can run the TypeScript sources directly
// (src/graph is shared with the browser app; no separate build step), then hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api';

// `netcanvas summary x.json | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

register();
try {
  const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // User mistakes are handled inside main(); anything reaching here is a bug in netcanvas itself.
  process.stderr.write(`netcanvas: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.NETCANVAS_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  process.exitCode = 1;
}
