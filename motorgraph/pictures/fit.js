// Open the picture fitted: once the layout has come to rest, press neo4j-viz's own "Zoom to fit"
// (its first fit only zooms, without panning, and leaves nodes off screen), step back from the
// legend and from a zoom so close that three nodes fill the page. When the drawing area changes
// size (the window, the details panel), zoom out until every node is on screen again. The page
// marks itself `data-motorgraph-fitted` when the first fit is done.
(() => {
  const MAX_ZOOM = 1.6;      // closer than this, a small graph is a few huge discs
  const STEPS = 8;           // at most this many "Zoom out" presses per adjustment
  const button = (label) => document.querySelector(`button[aria-label="${label}"]`);
  const nodes = () => (window.__Nvl_dumpNodes && window.__Nvl_dumpNodes()) || [];
  const zoom = () => (window.__Nvl_getZoomLevel && window.__Nvl_getZoomLevel()) || 1;
  const onScreen = () => ((window.__Nvl_getNodesOnScreen && window.__Nvl_getNodesOnScreen()) || {nodes: []}).nodes.length;
  const pause = (ms) => new Promise((done) => setTimeout(done, ms));

  function underLegend() {
    const legend = [...document.querySelectorAll('div')].find((d) => (d.innerText || '').startsWith('Legend')
        && d.getBoundingClientRect().width < 400);
    const canvas = document.querySelector('canvas');
    if (!legend || !canvas) return false;
    const b = legend.getBoundingClientRect(), c = canvas.getBoundingClientRect(), z = zoom();
    // Right after "Zoom to fit" (and zooming, which keeps the centre) the middle of the nodes'
    // bounding box is at the centre of the canvas.
    const ns = nodes(), xs = ns.map((n) => n.x), ys = ns.map((n) => n.y);
    const mx = (Math.min(...xs) + Math.max(...xs)) / 2, my = (Math.min(...ys) + Math.max(...ys)) / 2;
    const cx = c.left + c.width / 2, cy = c.top + c.height / 2;
    return ns.some((n) => {
      const x = cx + (n.x - mx) * z, y = cy + (n.y - my) * z, r = (n.size || 25) * z;
      return x + r > b.left - 8 && x - r < b.right + 8 && y + r > b.top - 8 && y - r < b.bottom + 8;
    });
  }

  async function zoomOutWhile(test) {
    for (let i = 0; i < STEPS && test(); i++) {
      const out = button('Zoom out');
      if (!out) return;
      out.click();
      await pause(350);
    }
  }

  async function firstFit() {
    let last = null, still = 0;
    for (let waited = 0; waited < 15000; waited += 200) {  // the layout at rest, or 15 s
      const ns = nodes();
      const key = JSON.stringify(ns.map((n) => [Math.round(n.x || 0), Math.round(n.y || 0)]));
      if (ns.length && button('Zoom to fit') && key === last) {
        if (++still >= 4) break;
      } else {
        last = key;
        still = 0;
      }
      await pause(200);
    }
    button('Zoom to fit')?.click();  // nothing is selected yet: it fits every node
    await pause(700);
    await zoomOutWhile(() => zoom() > MAX_ZOOM);
    if (underLegend()) {  // one step back, as a photographer would
      button('Zoom out')?.click();
      await pause(350);
    }
    document.body.dataset.motorgraphFitted = '1';
  }

  let pending = null;
  function refit() {
    clearTimeout(pending);
    pending = setTimeout(() => zoomOutWhile(() => onScreen() < nodes().length), 400);
  }

  window.addEventListener('load', () => {
    firstFit().then(() => {
      const area = document.querySelector('canvas')?.parentElement;
      if (area) new ResizeObserver(refit).observe(area);
    });
  });
})();
