package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One page of an answer: bars per symbol in page order (symbols without bars are absent). */
record BarsPage(Map<String, List<Bar>> bars, Optional<PageToken> next) {}
