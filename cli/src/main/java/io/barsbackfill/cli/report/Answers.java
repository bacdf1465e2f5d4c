package io.barsbackfill.cli.report;

import io.barsbackfill.orchestrator.api.AuditReport;
import io.barsbackfill.orchestrator.api.AuditReport.Finding;
import io.barsbackfill.orchestrator.api.AuditReport.GapCounts;
import io.barsbackfill.orchestrator.api.CompareReport;
import io.barsbackfill.orchestrator.api.EnqueueResult;
import io.barsbackfill.orchestrator.api.RecountResult;
import io.barsbackfill.orchestrator.api.RemoveResult;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.StatusReport.BarTotals;
import io.barsbackfill.orchestrator.api.StatusReport.CompletenessStatus;
import io.barsbackfill.orchestrator.api.StatusReport.DefinitionStatus;
import io.barsbackfill.orchestrator.api.StatusReport.FailureGroup;
import io.barsbackfill.orchestrator.api.StatusReport.HeartbeatStatus;
import io.barsbackfill.orchestrator.api.StatusReport.InFlight;
import io.barsbackfill.orchestrator.api.StatusReport.ProviderStatus;
import io.barsbackfill.orchestrator.api.StatusReport.RefreshProgress;
import io.barsbackfill.orchestrator.api.StatusReport.RunCounts;
import io.barsbackfill.orchestrator.api.StatusReport.Throughput;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.orchestrator.api.UpdateResult;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Readable text for the orchestrator's answers, the records of orchestrator-api. A part of an answer that is
 * absent (an older orchestrator's) shows as blank or {@code ?} instead of failing the command.
 */
public final class Answers {

    private Answers() {}

    public static String status(StatusReport s) {
        StringBuilder out = new StringBuilder();
        out.append("orchestrator ")
                .append(or(s.version(), "?"))
                .append(", report of ")
                .append(or(s.generatedAt(), "?"))
                .append('\n');
        RunCounts runs = s.runs();
        out.append(String.format(
                "runs       %s total: %s queued (%s ready), %s running, %s success, %s failed, %s cancelled%n",
                num(runs, RunCounts::total),
                num(runs, RunCounts::queued),
                num(s.ready()),
                num(runs, RunCounts::running),
                num(runs, RunCounts::success),
                num(runs, RunCounts::failed),
                num(runs, RunCounts::cancelled)));
        StatusReport.Progress progress = s.progress();
        out.append(String.format(
                "progress   %s of %s runs done (%s%%)%n",
                num(progress, StatusReport.Progress::done),
                num(progress, StatusReport.Progress::total),
                text(progress, p -> p.percent(), "0")));
        out.append(String.format(
                "bars       %s written, %s fetched%n",
                num(s.bars(), BarTotals::rowsWritten), num(s.bars(), BarTotals::barsFetched)));
        for (ProviderStatus p : s.providers() == null ? Collections.singletonList(s.provider()) : s.providers()) {
            provider(out, p);
        }
        InFlight inFlight = s.inFlight();
        out.append(String.format(
                "in flight  %s of max %s dispatches, %s runs leased, %s expired leases%n",
                num(inFlight, InFlight::dispatches),
                num(inFlight, InFlight::maxDispatches),
                num(inFlight, InFlight::runs),
                num(inFlight, InFlight::expiredLeases)));
        Throughput t = s.throughput();
        out.append(String.format(
                "last %s min  %s runs succeeded, %s failed, %s bars written, %s runs/min%n",
                text(t, Throughput::windowMinutes, "?"),
                num(t, Throughput::runsSucceeded),
                num(t, Throughput::runsFailed),
                num(t, Throughput::rowsWritten),
                text(t, Throughput::runsPerMinute, "0")));
        if (s.oldestQueuedAgeSeconds() != null) {
            out.append("oldest queued run waits since ")
                    .append(duration(s.oldestQueuedAgeSeconds()))
                    .append('\n');
        }
        failures(out, "failed runs by error code", s.failures());
        failures(out, "queued for retry, by last error", s.retrying());
        Table defs = new Table(
                        "DEFINITION",
                        "ON",
                        "TF",
                        "SYMBOLS",
                        "WINDOW",
                        "QUEUED",
                        "RUNNING",
                        "SUCCESS",
                        "FAILED",
                        "CANCELLED",
                        "BARS",
                        "DONE",
                        "SESSIONS WITH BARS")
                .numeric(3, 5, 6, 7, 8, 9, 10, 11);
        for (DefinitionStatus d : list(s.definitions())) {
            RunCounts r = d.runs();
            defs.row(
                    or(d.name(), ""),
                    d.enabled() ? "yes" : "no",
                    or(d.timeframe(), ""),
                    String.valueOf(d.symbols()),
                    window(d.windowFrom(), d.windowTo()),
                    num(r, RunCounts::queued),
                    num(r, RunCounts::running),
                    num(r, RunCounts::success),
                    num(r, RunCounts::failed),
                    num(r, RunCounts::cancelled),
                    num(d.bars(), BarTotals::rowsWritten),
                    text(d.progress(), p -> p.percent(), "0") + "%",
                    sessions(List.of(d)));
        }
        out.append(defs.isEmpty() ? "definitions: none\n" : "definitions\n" + defs.render("  "));
        Table beats = new Table("ORCHESTRATOR", "STATUS", "SEEN", "VERSION", "LAST TICK");
        for (HeartbeatStatus h : list(s.heartbeats())) {
            beats.row(
                    or(h.name(), ""),
                    or(h.status(), ""),
                    duration(h.ageSeconds() == null ? 0 : h.ageSeconds()) + " ago",
                    or(h.version(), ""),
                    or(h.message(), ""));
        }
        out.append(beats.isEmpty() ? "heartbeats: none (no tick yet)\n" : "heartbeats\n" + beats.render("  "));
        return out.toString();
    }

    /**
     * {@code provider   alpaca closed}, or open with its reason, since when, the next probe and the last error; one
     * line per provider (an orchestrator older than {@code providers} answers Alpaca's only).
     */
    private static void provider(StringBuilder out, ProviderStatus p) {
        if (p == null) {
            return;
        }
        out.append("provider   ").append(or(p.name(), "?")).append(' ').append(or(p.state(), "?"));
        if (p.reason() != null) {
            out.append(" (").append(p.reason()).append(')');
        }
        if (p.since() != null) {
            out.append(" since ").append(p.since());
        }
        if (p.nextProbeAt() != null) {
            out.append(", next probe ").append(p.nextProbeAt());
        }
        boolean closed = "closed".equals(p.state());
        if (!closed && p.lastError() != null) {
            out.append(", last error: ").append(clip(p.lastError(), 160));
        }
        if (!closed) {
            out.append("\n           its runs wait in the queue until a probe succeeds, spending no attempts");
        }
        out.append('\n');
    }

    private static void failures(StringBuilder out, String title, List<FailureGroup> groups) {
        if (list(groups).isEmpty()) {
            return;
        }
        Table t = new Table("ERROR CODE", "RUNS", "LAST HOUR", "LATEST MESSAGE").numeric(1, 2);
        for (FailureGroup g : groups) {
            t.row(or(g.errorCode(), ""), num(g.runs()), num(g.lastHour()), clip(or(g.sample(), ""), 100));
        }
        out.append(title).append('\n').append(t.render("  "));
    }

    public static String tick(TickResult t) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "tick %s in %s ms (instance %s): %s definitions scanned, %s runs planned, "
                        + "%s runs dispatched in %s requests, %s leases reaped, %s runs released, %s runs failed%n",
                or(t.status(), "?"),
                t.durationMs(),
                or(t.instance(), "?"),
                num(t.scanned()),
                num(t.slicesCreated()),
                num(t.jobsDispatched()),
                num(t.dispatches()),
                num(t.reaped()),
                num(t.runsReleased()),
                num(t.runsFailed())));
        if (t.gate() != null && !"closed".equals(t.gate())) {
            out.append("  gate: ").append(t.gate()).append('\n');
        }
        for (String e : list(t.errors())) {
            out.append("  error: ").append(e).append('\n');
        }
        return out.toString();
    }

    public static String enqueue(EnqueueResult e) {
        return String.format(
                        "definition %s created (id %s): %d symbols, %s, %s, priority %s; %s slices (%s ready now), "
                                + "%s runs; ticks plan them%n",
                        or(e.name(), ""),
                        or(e.id(), ""),
                        list(e.symbols()).size(),
                        or(e.timeframe(), ""),
                        window(e.windowFrom(), e.windowTo()),
                        e.priority(),
                        num(e.slices()),
                        num(e.slicesReady()),
                        num(e.runs()))
                + skipped(e);
    }

    /** The tickers an {@code enqueue} with {@code on_unknown: skip} left out, one line each; empty when none. */
    public static String skipped(EnqueueResult enqueued) {
        StringBuilder out = new StringBuilder();
        for (EnqueueResult.Skipped s : list(enqueued.skipped())) {
            out.append(String.format("skipped %s: %s%n", or(s.symbol(), ""), or(s.reason(), "")));
        }
        return out.toString();
    }

    public static String update(UpdateResult u) {
        String action = or(u.action(), "?");
        String what = switch (action) {
            case "cancel" -> "queued runs cancelled";
            case "refresh" -> "finished runs queued to be fetched again";
            default -> "failed runs queued again";
        };
        StringBuilder out = new StringBuilder(String.format("%s: %s %s", action, num(u.runsChanged()), what));
        if (u.definition() != null) {
            out.append(" (definition ").append(u.definition()).append(')');
        }
        if (Boolean.TRUE.equals(u.definitionDisabled())) {
            out.append("; the definition is disabled and plans nothing more");
        }
        return out.append('\n').toString();
    }

    /** What {@code remove} did, or with {@code dry_run} would do. */
    public static String remove(RemoveResult r) {
        boolean dry = r.dryRun();
        String definition = or(r.definition(), "?");
        StringBuilder out = new StringBuilder(
                dry ? "remove " + definition + " would: " : "remove: definition " + definition + " removed; ");
        out.append(String.format(
                "%s runs of its own cancelled, %s runs shared with other definitions kept",
                num(r.runsCancelled()), num(r.runsShared())));
        if (r.barsDeleted() != null) {
            out.append(String.format(
                    "; %s bars no other definition covers %s", num(r.barsDeleted()), dry ? "to delete" : "deleted"));
        } else if (!dry) {
            out.append("; its bars are kept");
        }
        return out.append('\n').toString();
    }

    /** What {@code recount} found: nothing, or each counter that differed, as counted and as the runs are. */
    public static String recount(RecountResult r) {
        if (r.drift() == 0) {
            return "recount: the run counters equal the runs\n";
        }
        StringBuilder out = new StringBuilder(String.format(
                "recount: %d counters differed from the runs%s%n",
                r.drift(), r.repaired() ? " and were repaired" : ""));
        Table t = new Table(
                        "DEFINITION", "STATUS", "RUNS COUNTED", "RUNS", "ROWS COUNTED", "ROWS", "BARS COUNTED", "BARS")
                .numeric(2, 3, 4, 5, 6, 7);
        for (RecountResult.Difference d : list(r.differences())) {
            t.row(
                    or(d.definition(), "(all)"),
                    d.status(),
                    num(d.countedRuns()),
                    num(d.actualRuns()),
                    num(d.countedRowsWritten()),
                    num(d.actualRowsWritten()),
                    num(d.countedBarsFetched()),
                    num(d.actualBarsFetched()));
        }
        return out.append(t.render("")).toString();
    }

    /** The audit's one-line summary, then the slices that need a look. */
    public static String audit(AuditReport a) {
        StringBuilder out = new StringBuilder(or(a.summary(), "")).append('\n');
        for (Finding f : list(a.findings())) {
            out.append(String.format(
                    "  %s %s [%s, %s): %s bars for %s sessions; %s unexplained sessions (%s unverified, %s provider "
                            + "holes), %s bars outside the session, %s duplicates%n",
                    or(f.symbol(), ""),
                    or(f.timeframe(), ""),
                    or(f.sliceFrom(), ""),
                    or(f.sliceTo(), ""),
                    num(f.barsStored()),
                    num(f.sessionsExpected()),
                    num(f.unexplainedSessions()),
                    num(f.gaps(), GapCounts::unverified),
                    num(f.gaps(), GapCounts::providerHoles),
                    num(f.barsOutsideSession()),
                    num(f.duplicates())));
        }
        return out.toString();
    }

    /** The comparison's one-line summary, then each session where the two series disagree. */
    public static String compare(CompareReport c) {
        StringBuilder out = new StringBuilder(or(c.summary(), "")).append('\n');
        Table t = new Table(
                        "SYMBOL", "SESSION", "ONLY IN " + c.definition(), "ONLY IN " + c.with(), "DIFFERING", "FIRST")
                .numeric(2, 3, 4);
        for (CompareReport.SessionDifference s : list(c.sessions())) {
            t.row(
                    or(s.symbol(), ""),
                    or(s.day(), ""),
                    num(s.barsOnlyInDefinition()),
                    num(s.barsOnlyInWith()),
                    num(s.barsDiffering()),
                    or(s.firstDiffering(), ""));
        }
        return list(c.sessions()).isEmpty()
                ? out.toString()
                : out.append(t.render("")).toString();
    }

    /** The latest refresh of definition {@code name} in a status answer, in one line. */
    public static String refresh(StatusReport status, String name) {
        for (DefinitionStatus d : list(status.definitions())) {
            RefreshProgress r = d.refresh();
            if (name.equals(d.name()) && r != null) {
                return "refresh " + name
                        + String.format(
                                ": %s slices fetched again (%s still queued or running), %s bars changed%n",
                                num(r.runs()), num(r.pending()), num(r.barsChanged()));
            }
        }
        return "refresh " + name + ": nothing to fetch again\n";
    }

    /** Runs of definition {@code name}'s latest refresh still queued or running, in a status answer. */
    public static long refreshPending(StatusReport status, String name) {
        for (DefinitionStatus d : list(status.definitions())) {
            if (name.equals(d.name())) {
                return d.refresh() == null ? 0 : d.refresh().pending();
            }
        }
        return 0;
    }

    /**
     * The completeness of some definitions of a status answer: sessions holding a bar of those expected, and of
     * the others those confirmed empty and those unexplained; the runs a verification healed.
     */
    public static String sessions(List<DefinitionStatus> definitions) {
        long expected = 0, withBars = 0, verifiedEmpty = 0, unexplained = 0, healed = 0;
        for (DefinitionStatus d : definitions) {
            CompletenessStatus c = d.completeness();
            if (c != null) {
                expected += c.sessionsExpected();
                withBars += c.sessionsWithBars();
                verifiedEmpty += c.sessionsVerifiedEmpty();
                unexplained += c.sessionsUnexplained();
                healed += c.runsHealed();
            }
        }
        return num(withBars) + "/" + num(expected)
                + (expected == withBars
                        ? ""
                        : " (" + num(verifiedEmpty) + " verified empty, " + num(unexplained) + " unexplained)")
                + (healed == 0 ? "" : ", " + num(healed) + " runs healed");
    }

    static String window(String from, String to) {
        return or(from, "?") + " .. " + or(to, "open");
    }

    /** {@code list}, or empty when the answer has none. */
    public static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    static String or(String value, String absent) {
        return value == null ? absent : value;
    }

    /** A figure of a part of an answer as the orchestrator writes it; {@code absent} when the part is. */
    private static <T> String text(T part, Function<T, Object> figure, String absent) {
        return part == null ? absent : String.valueOf(figure.apply(part));
    }

    /** A count of a part of an answer; blank when the part is absent. */
    private static <T> String num(T part, ToLongFunction<T> count) {
        return part == null ? "" : num(count.applyAsLong(part));
    }

    /** A count with thousands separators; blank when absent. */
    public static String num(Number n) {
        return n == null ? "" : num(n.longValue());
    }

    public static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 42s}, {@code 3m05s}, {@code 2h07m}. */
    public static String duration(long seconds) {
        if (seconds < 0) {
            return "?";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    static String clip(String s, int max) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
