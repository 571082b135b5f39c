// @ts-check
// Preload that CPU-profiles every `sf run` process a bench run starts (Node.js refuses --cpu-prof
// in NODE_OPTIONS, so this starts the inspector's profiler instead) and records its GC pauses:
//   SF_PROFILE_DIR=/tmp/prof NODE_OPTIONS="--import $PWD/tools/cpu-profile.mjs" pnpm bench --only scaling
// Each process writes <service>-<pid>.cpuprofile (open it in Chrome DevTools, or summarise it with
// tools/profile-top.mjs) and <service>-<pid>.gc.json ([start ms, duration ms, kind] per GC).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

const dir = process.env.SF_PROFILE_DIR;
const service = process.argv.indexOf('-s');
if (dir && process.argv.includes('run') && service > 0) {
  const stem = `${dir}/${basename(process.argv[service + 1] ?? 'service').replace(/\.[cm]?[jt]s$/, '')}-${process.pid}`;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  /** @type {[number, number, number | undefined][]} */
  const pauses = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      pauses.push([Math.round(entry.startTime), entry.duration, /** @type {{ detail?: { kind?: number } }} */ (entry).detail?.kind]);
  }).observe({ entryTypes: ['gc'] });
  // The in-process inspector session answers synchronously, so the profile is written before exit.
  process.on('exit', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${stem}.gc.json`, JSON.stringify(pauses));
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(`${stem}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
