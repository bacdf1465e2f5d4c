package io.barsbackfill.common.provider;

/** Why a request is made, for the metrics: a fetch, a check of a run's gaps, or a probe (gate, tickers). */
public enum Purpose {
    fetch,
    verify,
    probe
}
