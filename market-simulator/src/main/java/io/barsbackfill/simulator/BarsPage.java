package io.barsbackfill.simulator;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.barsbackfill.common.domain.Bar;

/** One page of an answer: bars per symbol in page order (symbols without bars are absent). */
record BarsPage(Map<String, List<Bar>> bars, Optional<PageToken> next) {
}
