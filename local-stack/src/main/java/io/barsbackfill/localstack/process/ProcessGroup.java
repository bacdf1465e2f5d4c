package io.barsbackfill.localstack.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The children started together. They are started at once and awaited side by side; they are stopped by
 * tier (lowest first, each tier in parallel), on {@link #close()} and, once {@link #stopOnExit} was called,
 * when this JVM exits for any reason the JVM can catch (normal end, error, Ctrl-C, SIGTERM).
 */
public final class ProcessGroup implements AutoCloseable {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final List<ManagedProcess> processes = new ArrayList<>();
    private final Duration grace;
    private Consumer<String> log = line -> {};
    private Thread hook;
    private boolean closed;

    public ProcessGroup() {
        this(DEFAULT_GRACE);
    }

    public ProcessGroup(Duration grace) {
        this.grace = grace;
    }

    /** Where to report stops (one line each); silent by default. */
    public synchronized ProcessGroup onEvent(Consumer<String> log) {
        this.log = log;
        return this;
    }

    /** Stops every child when the JVM exits, whatever the reason. Idempotent. */
    public synchronized ProcessGroup stopOnExit() {
        if (hook == null) {
            hook = new Thread(this::stopAll, "backfill-stop-children");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return this;
    }

    public synchronized ManagedProcess start(ProcessSpec spec) {
        if (closed) {
            throw new IllegalStateException("process group is closed");
        }
        ManagedProcess p = ManagedProcess.start(spec);
        processes.add(p);
        return p;
    }

    /** Replaces the process of the same name (stopped or killed) with a fresh one from the same spec. */
    public synchronized ManagedProcess restart(ManagedProcess old) {
        if (old.isAlive()) {
            old.stop(grace);
        }
        processes.remove(old);
        return start(old.spec());
    }

    public synchronized List<ManagedProcess> processes() {
        return List.copyOf(processes);
    }

    public synchronized Optional<ManagedProcess> find(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).reduce((a, b) -> b);
    }

    /** Waits for every child to be ready, side by side; the first to die or time out fails the wait. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<ManagedProcess> pending = new HashSet<>(processes());
        while (!pending.isEmpty()) {
            for (ManagedProcess p : List.copyOf(pending)) {
                if (!p.isAlive()) {
                    throw p.notReady(timeout);
                }
                if (p.isReady()) {
                    pending.remove(p);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw pending.iterator().next().notReady(timeout);
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessFailedException("", "interrupted while waiting for " + pending);
            }
        }
    }

    /** A child that died although nobody asked it to stop, if any. */
    public Optional<ManagedProcess> unexpectedlyDead() {
        return processes().stream().filter(p -> !p.isAlive() && !p.isStopping()).findFirst();
    }

    /** Stops every child still running: lowest tier first, each tier in parallel. */
    public void stopAll() {
        List<ManagedProcess> all;
        synchronized (this) {
            all = List.copyOf(processes);
        }
        TreeMap<Integer, List<ManagedProcess>> tiers = new TreeMap<>();
        for (ManagedProcess p : all) {
            tiers.computeIfAbsent(p.spec().stopTier(), k -> new ArrayList<>()).add(p);
        }
        for (List<ManagedProcess> tier : tiers.values()) {
            CompletableFuture.allOf(tier.stream()
                            .filter(ManagedProcess::isAlive)
                            .map(p -> CompletableFuture.runAsync(() -> {
                                int code = p.stop(grace);
                                log.accept("stopped " + p.name() + " (pid " + p.pid() + ", exit " + code + ")");
                            }))
                            .toArray(CompletableFuture[]::new))
                    .join();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stopAll();
        synchronized (this) {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook is running or ran
                }
                hook = null;
            }
        }
    }
}
