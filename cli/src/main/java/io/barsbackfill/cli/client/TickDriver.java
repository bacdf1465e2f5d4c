package io.barsbackfill.cli.client;

import io.barsbackfill.orchestrator.api.TickResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Drives an orchestrator whose own schedule is off: posts {@code tick} back to back on a daemon thread (a tick
 * keeps up to {@code max-in-flight} dispatches going until nothing is ready, then returns), pausing a second
 * after a tick that found nothing to dispatch (runs waiting for their backoff). Errors of a tick are reported
 * once until they change.
 */
public final class TickDriver implements AutoCloseable {

    /** One finished tick: its answer and when it came back. */
    public record Completed(TickResult tick, Instant at, long sequence) {

        public long slicesCreated() {
            return tick.slicesCreated();
        }

        public long dispatched() {
            return tick.jobsDispatched();
        }

        public boolean claimFailed() {
            return "error".equals(tick.status());
        }
    }

    private static final Duration IDLE_PAUSE = Duration.ofSeconds(1);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(2);

    private final OrchestratorClient client;
    private final Consumer<String> problems;
    private final Thread thread;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean stopped;
    private volatile Completed last;
    private volatile Instant failingSince;
    private volatile long dispatchedTotal;
    private List<String> lastErrors = List.of();

    public TickDriver(OrchestratorClient client, Consumer<String> problems) {
        this.client = client;
        this.problems = problems;
        this.thread = new Thread(this::loop, "backfill-tick-driver");
        this.thread.setDaemon(true);
    }

    public TickDriver start() {
        thread.start();
        return this;
    }

    /** The last tick that finished, or null before the first. */
    public Completed last() {
        return last;
    }

    /** Runs dispatched by all ticks so far (a fetcher answered 2xx). */
    public long dispatchedTotal() {
        return dispatchedTotal;
    }

    /** Since when every tick failed to claim or failed outright; null while ticks are healthy. */
    public Instant failingSince() {
        return failingSince;
    }

    private void loop() {
        while (!stopped) {
            Duration pause;
            try {
                TickResult tick = client.tick();
                Completed done = new Completed(tick, Instant.now(), sequence.incrementAndGet());
                last = done;
                dispatchedTotal += done.dispatched();
                report(tick);
                failingSince = done.claimFailed() ? (failingSince == null ? done.at() : failingSince) : null;
                pause = idle(tick) ? IDLE_PAUSE : Duration.ZERO;
            } catch (OrchestratorException e) {
                if (stopped) {
                    return;
                }
                if (failingSince == null) {
                    failingSince = Instant.now();
                }
                reportOnce(List.of("tick failed: " + e.getMessage()));
                pause = ERROR_PAUSE;
            }
            sleep(pause);
        }
    }

    /**
     * Ticks on the calling thread until a tick planned no new slices and {@code drained} holds (nothing queued or
     * running), pausing {@code idlePause} after a tick that dispatched nothing (runs waiting for their backoff).
     * Answers every tick's result; fails when not done within {@code timeout}.
     */
    public static List<TickResult> tickUntilDrained(
            OrchestratorClient client, BooleanSupplier drained, Duration timeout, Duration idlePause) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TickResult> ticks = new ArrayList<>();
        while (true) {
            TickResult tick = client.tick();
            ticks.add(tick);
            if (tick.slicesCreated() == 0 && drained.getAsBoolean()) {
                return ticks;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("backfill not done within " + timeout + "; last tick " + tick);
            }
            if (idle(tick)) {
                try {
                    Thread.sleep(idlePause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while ticking", e);
                }
            }
        }
    }

    /** A tick that dispatched nothing: nothing was ready, so the next one should wait a little. */
    private static boolean idle(TickResult tick) {
        return tick.jobsDispatched() == 0 && (tick.dispatches() == null || tick.dispatches() == 0);
    }

    private void report(TickResult tick) {
        List<String> errors = new ArrayList<>();
        if (tick.errors() != null) {
            tick.errors().forEach(e -> errors.add("tick " + tick.status() + ": " + e));
        }
        reportOnce(errors);
    }

    private void reportOnce(List<String> errors) {
        if (!errors.equals(lastErrors)) {
            errors.forEach(problems);
        }
        lastErrors = errors;
    }

    private void sleep(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Stops ticking; a tick under way is abandoned (its dispatches finish in the orchestrator). */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
