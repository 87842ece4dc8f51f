// The life of one uPlot chart on a screen: uPlot is loaded with import() the first time a
// chart is drawn (so only a screen with a chart fetches it), the chart is drawn again only
// when its data or its host changes, follows the host's width, and is torn down with the
// screen. The dashboard's traffic chart and the reports' charts differ only in what they
// draw, which each passes as build(UPlot, host) -> {options, data}.

let loadingUplot = null;
function uplot() {
  loadingUplot ||= import("uplot").then((module) => module.default);
  return loadingUplot;
}

export class UplotChart {
  /** height: in pixels; onStatus("ready" | "error") says whether uPlot could be used. */
  constructor(height, onStatus) {
    this.height = height;
    this.onStatus = onStatus;
    this.plot = null;
    this.host = null;
    this.key = "";
    this.resize = null;
    this.gone = false;
  }

  /**
   * key: what the chart shows, as a string (nothing is redrawn while it is the same);
   * build(UPlot, host): {options, data}; sameShape: a chart already on this host takes
   * new data in place instead of being rebuilt (same series, same axes).
   */
  async draw(host, key, build, { sameShape = false } = {}) {
    if (!host) return;
    if (host === this.host && key === this.key && this.plot) return;
    this.key = key;
    let UPlot;
    try {
      UPlot = await uplot();
    } catch (err) {
      console.error(err);
      this.onStatus("error");
      return;
    }
    if (this.gone || key !== this.key || !host.isConnected) return;
    const { options, data } = build(UPlot, host);
    if (sameShape && this.plot && host === this.host) {
      this.plot.setData(data);
      return;
    }
    this.teardown();
    this.host = host;
    this.plot = new UPlot(
      { width: Math.max(200, host.clientWidth), height: this.height, legend: { show: false }, ...options },
      data,
      host,
    );
    this.resize = new ResizeObserver(() => {
      if (this.plot && host.clientWidth) this.plot.setSize({ width: host.clientWidth, height: this.height });
    });
    this.resize.observe(host);
    this.onStatus("ready");
  }

  teardown() {
    this.resize?.disconnect();
    this.resize = null;
    this.plot?.destroy();
    this.plot = null;
    this.host = null;
  }

  destroy() {
    this.gone = true;
    this.teardown();
  }
}
