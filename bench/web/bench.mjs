// In-page driver for bench/browser.mjs. Runs the page's own worker (www/worker.js) exactly as the
// page does, and measures: seconds from posting the bytes to the summary, the largest gap between
// progress messages, and the largest stall of the main thread (a 10 ms ticker) during the run.
let files = null;
let worker = null;

function startWorker() {
  const w = new Worker('/www/worker.js', { type: 'module' });
  return new Promise((resolve, reject) => {
    w.onmessage = (e) => (e.data.type === 'ready' ? resolve(w) : e.data.type === 'error' && reject(e.data.error));
  });
}

window.bench = {
  async load(internalUrl, channelUrl) {
    // Blobs, as the page's File objects: the engine reads them in chunks, never copied whole.
    const get = async (url) => (await fetch(url)).blob();
    files = [await get(internalUrl), await get(channelUrl)];
    worker = await startWorker(); // one warm worker for every run, as the page keeps one
    return files[0].size + files[1].size;
  },

  async runOnce() {
    let lastTick = performance.now();
    let mainStall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      mainStall = Math.max(mainStall, now - lastTick - 10);
      lastTick = now;
    }, 10);
    const t0 = performance.now();
    let lastProgress = t0;
    let progressGap = 0;
    let progressCount = 0;
    const summary = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'progress') {
          const now = performance.now();
          progressGap = Math.max(progressGap, now - lastProgress);
          lastProgress = now;
          progressCount += 1;
        } else if (m.type === 'summary') resolve(m.summary);
        else if (m.type === 'error') reject(new Error(`${m.error.code}: ${m.error.message}`));
      };
      worker.postMessage({
        type: 'run',
        profile: JSON.stringify({ pending_window_minutes: 0 }),
        files: [
          { side: 'internal', name: 'internal.csv', blob: files[0] },
          { side: 'channel', name: 'channel.csv', blob: files[1] },
        ],
      });
    });
    const seconds = (performance.now() - t0) / 1000;
    progressGap = Math.max(progressGap, performance.now() - lastProgress);
    clearInterval(ticker);
    // Cancel latency: start another run in a second worker and terminate it 100 ms in, as Cancel does.
    const doomed = await startWorker();
    doomed.postMessage({ type: 'run', files: [
      { side: 'internal', name: 'internal.csv', blob: files[0] },
      { side: 'channel', name: 'channel.csv', blob: files[1] },
    ] });
    await new Promise((r) => setTimeout(r, 100));
    const c0 = performance.now();
    doomed.terminate();
    const cancelMs = performance.now() - c0;
    return { seconds, counts: summary.counts, cross_day: summary.cross_day, progressGapMs: progressGap,
      progressCount, mainStallMs: mainStall, cancelMs };
  },
};
