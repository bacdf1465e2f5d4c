package io.barsbackfill.e2e;

import io.barsbackfill.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the database saw while a chaos scenario ran, from two logs the test installs after migration (not part of
 * the schema): every claim and release of a run on {@code job_runs}, with its dispatch, and every change of a
 * provider's gate on {@code provider_gate} (opened, closed, a probe taken, a probe failed). Timing bounds of the
 * provider faults are derived from them instead of from the timeline the test intended: a dispatch reaches the
 * provider only while it is in flight and only if it found the gate closed, a probe only while it holds the
 * probe lease.
 */
final class ChaosTimeline {

    private static final String LOGS = """
            CREATE TABLE chaos_dispatch_log (
                n              bigserial PRIMARY KEY,
                dispatch_id    uuid,
                run_id         uuid NOT NULL,
                event          text NOT NULL,
                status         text,
                error_code     text,
                attempt_before integer NOT NULL,
                attempt_after  integer NOT NULL,
                at             timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE FUNCTION chaos_log_dispatch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'running' AND (NEW.status <> 'running' OR OLD.lease_token <> NEW.lease_token) THEN
                    INSERT INTO chaos_dispatch_log
                        (dispatch_id, run_id, event, status, error_code, attempt_before, attempt_after)
                    VALUES (OLD.dispatch_id, OLD.id, 'release', NEW.status, NEW.error_code, OLD.attempt, NEW.attempt);
                END IF;
                IF NEW.status = 'running' AND (OLD.status <> 'running' OR OLD.lease_token <> NEW.lease_token) THEN
                    INSERT INTO chaos_dispatch_log (dispatch_id, run_id, event, attempt_before, attempt_after)
                    VALUES (NEW.dispatch_id, NEW.id, 'claim', OLD.attempt, NEW.attempt);
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER chaos_dispatch_log AFTER UPDATE ON job_runs
                FOR EACH ROW EXECUTE FUNCTION chaos_log_dispatch();

            CREATE TABLE chaos_gate_log (
                n           bigserial PRIMARY KEY,
                provider    text NOT NULL,
                event       text NOT NULL,
                state       text NOT NULL,
                reason      text,
                probes      integer NOT NULL,
                lease_until timestamptz,
                at          timestamptz NOT NULL DEFAULT clock_timestamp(),
                tx_at       timestamptz NOT NULL DEFAULT now());
            CREATE FUNCTION chaos_log_gate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.probe_token IS NOT NULL AND NEW.probe_token IS DISTINCT FROM OLD.probe_token THEN
                    INSERT INTO chaos_gate_log (provider, event, state, reason, probes, lease_until)
                    VALUES (NEW.provider, 'probe taken', NEW.state, NEW.reason, NEW.probes, NEW.probe_lease_until);
                ELSIF NEW.probes > OLD.probes THEN
                    INSERT INTO chaos_gate_log (provider, event, state, reason, probes)
                    VALUES (NEW.provider, 'probe failed', NEW.state, NEW.reason, NEW.probes);
                ELSIF NEW.state <> OLD.state THEN
                    INSERT INTO chaos_gate_log (provider, event, state, reason, probes)
                    VALUES (NEW.provider, CASE NEW.state WHEN 'open' THEN 'opened' ELSE 'closed' END, NEW.state,
                            NEW.reason, NEW.probes);
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER chaos_gate_log AFTER UPDATE ON provider_gate
                FOR EACH ROW EXECUTE FUNCTION chaos_log_gate();
            INSERT INTO chaos_gate_log (provider, event, state, reason, probes)
                SELECT provider, 'installed', state, reason, probes FROM provider_gate ORDER BY provider;
            """;

    private ChaosTimeline() {}

    /** Installs both logs; call once the functions have migrated the database and before any work is queued. */
    static void install(TestDatabase db) {
        db.execute(LOGS);
    }

    /** A span of wall time (the test's, the simulator's and PostgreSQL's clocks are the same machine's). */
    record Span(Instant from, Instant to) {
        boolean overlaps(Span other) {
            return !from.isAfter(other.to) && !to.isBefore(other.from);
        }

        boolean contains(Instant t) {
            return !t.isBefore(from) && !t.isAfter(to);
        }

        @Override
        public String toString() {
            return from + ".." + to;
        }
    }

    /** One change of the provider gate as logged. */
    record GateEvent(
            String event, String state, String reason, int probes, Instant at, Instant txAt, Instant leaseUntil) {
        boolean closed() {
            return state.equals("closed");
        }
    }

    /** One claim or release of a run. */
    record RunEvent(
            String dispatch,
            String event,
            String status,
            String errorCode,
            int attemptBefore,
            int attemptAfter,
            Instant at) {}

    /** Everything logged so far. */
    record Snapshot(List<GateEvent> gate, List<RunEvent> runs) {

        /**
         * Each dispatch's time in flight: from its first claim to its last release; still in flight (to the end of
         * time) when one of its runs is not released yet, or was released by the orchestrator rather than by the
         * fetcher (an expired lease, a dispatch without an answer in time).
         */
        List<Span> dispatches() {
            Map<String, List<RunEvent>> byDispatch = new LinkedHashMap<>();
            runs.stream()
                    .filter(e -> e.dispatch() != null)
                    .forEach(e -> byDispatch
                            .computeIfAbsent(e.dispatch(), k -> new ArrayList<>())
                            .add(e));
            List<Span> out = new ArrayList<>();
            for (List<RunEvent> events : byDispatch.values()) {
                long claims =
                        events.stream().filter(e -> e.event().equals("claim")).count();
                long releases = events.size() - claims;
                Instant from = events.stream()
                        .filter(e -> e.event().equals("claim"))
                        .map(RunEvent::at)
                        .min(Instant::compareTo)
                        .orElse(Instant.MIN);
                // released by the orchestrator (lease expired, dispatch unanswered): the fetcher may still be at it
                boolean releasedBehindItsBack = events.stream()
                        .anyMatch(
                                e -> "LEASE_EXPIRED".equals(e.errorCode()) || "DISPATCH_FAILED".equals(e.errorCode()));
                Instant to = releases < claims || releasedBehindItsBack
                        ? Instant.MAX
                        : events.stream()
                                .filter(e -> e.event().equals("release"))
                                .map(RunEvent::at)
                                .max(Instant::compareTo)
                                .orElse(Instant.MAX);
                out.add(new Span(from, to));
            }
            return out;
        }

        /** Whether the gate was closed at some moment of {@code span} (a fetcher checks it once per dispatch). */
        boolean closedAtSomeMomentOf(Span span) {
            String state = "closed"; // the gate starts closed (the 'installed' row says so when it did not)
            for (GateEvent e : gate) {
                if (e.at().isAfter(span.to())) {
                    break;
                }
                if (!e.at().isAfter(span.from())) {
                    state = e.state();
                } else if (e.closed()) {
                    return true;
                }
            }
            return state.equals("closed");
        }

        /** The gate's state at {@code t}. */
        boolean openAt(Instant t) {
            String state = "closed";
            for (GateEvent e : gate) {
                if (e.at().isAfter(t)) {
                    break;
                }
                state = e.state();
            }
            return state.equals("open");
        }

        /**
         * Dispatches that can have sent a request during {@code fault}: in flight at some moment of it and having
         * found the gate closed at some moment of their flight (a fetcher gives a dispatch back uncalled while the
         * gate is open, and the orchestrator claims nothing then).
         */
        long dispatchesThatCouldCall(Span fault) {
            return dispatches().stream()
                    .filter(d -> d.overlaps(fault) && closedAtSomeMomentOf(d))
                    .count();
        }

        /**
         * Probes in flight at some moment of {@code fault}: each from its take of the probe lease until it was
         * logged failed, or until its lease ran out when the gate closed under it (the probe's one request lies in
         * that span).
         */
        long probesDuring(Span fault) {
            long n = 0;
            for (int i = 0; i < gate.size(); i++) {
                GateEvent take = gate.get(i);
                if (!take.event().equals("probe taken")) {
                    continue;
                }
                Instant end = take.leaseUntil();
                for (int j = i + 1; j < gate.size(); j++) {
                    GateEvent next = gate.get(j);
                    if (next.event().equals("probe failed")) {
                        end = next.at();
                        break;
                    }
                    if (next.event().equals("probe taken")) {
                        break;
                    }
                }
                if (new Span(take.at(), end).overlaps(fault)) {
                    n++;
                }
            }
            return n;
        }

        /** Gate events logged within {@code span}. */
        List<GateEvent> gateDuring(Span span) {
            return gate.stream().filter(e -> span.contains(e.at())).toList();
        }

        /** Releases of runs logged within {@code span}. */
        List<RunEvent> releasesDuring(Span span) {
            return runs.stream()
                    .filter(e -> e.event().equals("release") && span.contains(e.at()))
                    .toList();
        }

        /**
         * Probes taken earlier than the gate's schedule allows: the first {@code base} after the gate opened, each
         * next one {@code base} doubled per failed probe after the failure (base, 2 base, 4 base ... , never
         * earlier; a 429's Retry-After only delays them). Compared on the transactions' own clock ({@code now()}),
         * the one the gate computes {@code next_probe_at} with. Empty when the schedule held.
         */
        List<String> probesBeforeSchedule(Duration base) {
            List<String> early = new ArrayList<>();
            Instant notBefore = null;
            for (GateEvent e : gate) {
                switch (e.event()) {
                    case "opened" -> notBefore = e.txAt().plus(base);
                    case "probe failed" ->
                        notBefore = e.txAt().plus(base.multipliedBy(1L << Math.min(e.probes() - 1, 20)));
                    case "probe taken" -> {
                        if (notBefore != null && e.txAt().isBefore(notBefore)) {
                            early.add("probe " + (e.probes() + 1) + " taken at " + e.txAt() + ", due " + notBefore);
                        }
                    }
                    default -> {}
                }
            }
            return early;
        }
    }

    /** Everything logged so far, the gate's changes those of {@code provider}'s gate. */
    static Snapshot read(TestDatabase db, String provider) {
        List<GateEvent> gate = db
                .query(
                        "SELECT event, state, reason, probes, at, tx_at, lease_until FROM chaos_gate_log "
                                + "WHERE provider = ? ORDER BY n",
                        provider)
                .stream()
                .map(r -> new GateEvent(
                        (String) r.get("event"),
                        (String) r.get("state"),
                        (String) r.get("reason"),
                        (Integer) r.get("probes"),
                        (Instant) r.get("at"),
                        (Instant) r.get("tx_at"),
                        (Instant) r.get("lease_until")))
                .toList();
        List<RunEvent> runs = db.query("""
                        SELECT dispatch_id::text AS dispatch, event, status, error_code, attempt_before, attempt_after,
                               at
                        FROM chaos_dispatch_log ORDER BY n""").stream()
                .map(r -> new RunEvent(
                        (String) r.get("dispatch"),
                        (String) r.get("event"),
                        (String) r.get("status"),
                        (String) r.get("error_code"),
                        (Integer) r.get("attempt_before"),
                        (Integer) r.get("attempt_after"),
                        (Instant) r.get("at")))
                .toList();
        return new Snapshot(gate, runs);
    }

    /**
     * Provider requests that arrived strictly inside {@code fault}: in a later millisecond than its start and an
     * earlier one than its end (the simulator logs arrivals in whole milliseconds), so each was answered with the
     * fault on.
     */
    static long arrivalsInside(List<Long> arrivalsMs, Span fault) {
        long from = fault.from().toEpochMilli();
        long to = fault.to().toEpochMilli();
        return arrivalsMs.stream().filter(t -> t > from && t < to).count();
    }
}
