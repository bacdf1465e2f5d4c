package io.barsbackfill.cli.report;

import java.time.Duration;
import java.time.Instant;

/** Live progress of a backfill: rates and ETA measured from when it started driving. */
public final class ProgressMeter {

    private final Instant started;
    private final ScenarioProgress baseline;

    public ProgressMeter(Instant started, ScenarioProgress baseline) {
        this.started = started;
        this.baseline = baseline;
    }

    public Instant started() {
        return started;
    }

    public ScenarioProgress baseline() {
        return baseline;
    }

    /** Bars written since the start, per second. */
    public double barsPerSecond(ScenarioProgress now, Instant at) {
        double seconds = seconds(at);
        return seconds <= 0 ? 0 : (now.bars() - baseline.bars()) / seconds;
    }

    public double seconds(Instant at) {
        return Duration.between(started, at).toMillis() / 1000.0;
    }

    /** Seconds left at the pace so far; negative when unknown (nothing finished yet). */
    public long etaSeconds(ScenarioProgress now, Instant at) {
        long finishedSince = now.finished() - baseline.finished();
        long left = now.total() - now.finished();
        if (left <= 0) {
            return 0;
        }
        double seconds = seconds(at);
        if (finishedSince <= 0 || seconds <= 0) {
            return -1;
        }
        return Math.round(left / (finishedSince / seconds));
    }

    /** {@code [  12s] runs 812/1525 (53.2%), 250 running, 0 failed | bars 251,234 | 8,420 bars/s | ETA 42s}. */
    public String line(ScenarioProgress now, Instant at) {
        long eta = etaSeconds(now, at);
        double percent = now.total() == 0 ? 0 : now.success() * 100.0 / now.total();
        return String.format(
                "[%5s] runs %s/%s done (%.1f%%), %s running, %s queued, %s failed | bars %s | %s bars/s | ETA %s",
                Answers.duration(Math.round(seconds(at))),
                Answers.num(now.success()),
                Answers.num(now.total()),
                percent,
                Answers.num(now.running()),
                Answers.num(now.queued()),
                Answers.num(now.failed()),
                Answers.num(now.bars()),
                Answers.num(Math.round(barsPerSecond(now, at))),
                eta < 0 ? "--" : Answers.duration(eta));
    }
}
