package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Messages;
import java.util.ArrayList;
import java.util.List;

/**
 * Errors met during one tick, in order. {@link #fatal} ones (claiming or reaping failed: the queue cannot
 * move) turn the heartbeat to {@code error}; the others to {@code warning}. Thread-safe: dispatches finish
 * on any thread.
 */
public final class TickLog {

    static final int MAX_ERRORS = 20;
    private static final int MAX_MESSAGE = 300;

    private final List<String> errors = new ArrayList<>();
    private int dropped;
    private boolean fatal;

    public synchronized void error(String step, Throwable failure) {
        add(step + ": " + Messages.firstMessage(failure));
    }

    public synchronized void error(String step, String message) {
        add(step + ": " + message);
    }

    public synchronized void fatal(String step, Throwable failure) {
        fatal = true;
        error(step, failure);
    }

    public synchronized List<String> errors() {
        List<String> all = new ArrayList<>(errors);
        if (dropped > 0) {
            all.add("... and " + dropped + " more errors");
        }
        return all;
    }

    public synchronized String status() {
        return fatal ? "error" : errors.isEmpty() ? "healthy" : "warning";
    }

    private void add(String message) {
        if (errors.size() >= MAX_ERRORS) {
            dropped++;
            return;
        }
        errors.add(Messages.clip(message, MAX_MESSAGE));
    }
}
