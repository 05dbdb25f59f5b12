// Preloaded into a child (`node --import <this file> bin/render …`): at exit, the child writes its peak
// resident memory (getrusage's maxrss, in KiB) and its CPU time to the file named by PEAK_RSS_FILE.
import fs from 'node:fs';

const target = process.env.PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
