package io.barsbackfill.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Readable text for the orchestrator's answers. Reads the JSON trees leniently ({@code path}, defaults), so a
 * field the orchestrator adds, drops or renames shows as blank instead of failing the command.
 */
public final class Answers {

    private Answers() {}

    public static String status(JsonNode s) {
        StringBuilder out = new StringBuilder();
        out.append("orchestrator ")
                .append(s.path("version").asText("?"))
                .append(", report of ")
                .append(s.path("generated_at").asText("?"))
                .append('\n');
        out.append(counts(
                s,
                "runs       %s total: %s queued (%s ready), %s running, %s success, %s failed, %s cancelled%n",
                "/runs/total",
                "/runs/queued",
                "/ready",
                "/runs/running",
                "/runs/success",
                "/runs/failed",
                "/runs/cancelled"));
        JsonNode progress = s.path("progress");
        out.append(String.format(
                "progress   %s of %s runs done (%s%%)%n",
                num(progress.path("done")),
                num(progress.path("total")),
                progress.path("percent").asText("0")));
        out.append(counts(s, "bars       %s written, %s fetched%n", "/bars/rows_written", "/bars/bars_fetched"));
        provider(out, s.path("provider"));
        out.append(counts(
                s.path("in_flight"),
                "in flight  %s of max %s dispatches, %s runs leased, %s expired leases%n",
                "/dispatches",
                "/max_dispatches",
                "/runs",
                "/expired_leases"));
        JsonNode t = s.path("throughput");
        out.append(String.format(
                "last %s min  %s runs succeeded, %s failed, %s bars written, %s runs/min%n",
                t.path("window_minutes").asText("?"),
                num(t.path("runs_succeeded")),
                num(t.path("runs_failed")),
                num(t.path("rows_written")),
                t.path("runs_per_minute").asText("0")));
        if (s.hasNonNull("oldest_queued_age_seconds")) {
            out.append("oldest queued run waits since ")
                    .append(duration(s.path("oldest_queued_age_seconds").asLong()))
                    .append('\n');
        }
        failures(out, "failed runs by error code", s.path("failures"));
        failures(out, "queued for retry, by last error", s.path("retrying"));
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
        for (JsonNode d : s.path("definitions")) {
            JsonNode r = d.path("runs");
            defs.row(
                    d.path("name").asText(),
                    d.path("enabled").asBoolean(true) ? "yes" : "no",
                    d.path("timeframe").asText(),
                    d.path("symbols").asText(),
                    window(d.path("window_from"), d.path("window_to")),
                    num(r.path("queued")),
                    num(r.path("running")),
                    num(r.path("success")),
                    num(r.path("failed")),
                    num(r.path("cancelled")),
                    num(d.path("bars").path("rows_written")),
                    d.path("progress").path("percent").asText("0") + "%",
                    sessions(List.of(d)));
        }
        out.append(defs.isEmpty() ? "definitions: none\n" : "definitions\n" + defs.render("  "));
        Table beats = new Table("ORCHESTRATOR", "STATUS", "SEEN", "VERSION", "LAST TICK");
        for (JsonNode h : s.path("heartbeats")) {
            beats.row(
                    h.path("name").asText(),
                    h.path("status").asText(),
                    duration(h.path("age_seconds").asLong()) + " ago",
                    h.path("version").asText(""),
                    h.path("message").asText(""));
        }
        out.append(beats.isEmpty() ? "heartbeats: none (no tick yet)\n" : "heartbeats\n" + beats.render("  "));
        return out.toString();
    }

    /** {@code provider   alpaca closed}, or open with its reason, since when, the next probe and the last error. */
    private static void provider(StringBuilder out, JsonNode p) {
        if (p.isMissingNode() || p.isNull()) {
            return;
        }
        out.append("provider   ")
                .append(p.path("name").asText("?"))
                .append(' ')
                .append(p.path("state").asText("?"));
        if (p.hasNonNull("reason")) {
            out.append(" (").append(p.path("reason").asText()).append(')');
        }
        if (p.hasNonNull("since")) {
            out.append(" since ").append(p.path("since").asText());
        }
        if (p.hasNonNull("next_probe_at")) {
            out.append(", next probe ").append(p.path("next_probe_at").asText());
        }
        if (!"closed".equals(p.path("state").asText()) && p.hasNonNull("last_error")) {
            out.append(", last error: ").append(clip(p.path("last_error").asText(), 160));
        }
        if (!"closed".equals(p.path("state").asText())) {
            out.append(
                    "\n           nothing is claimed until a probe succeeds; queued runs spend no attempts meanwhile");
        }
        out.append('\n');
    }

    private static void failures(StringBuilder out, String title, JsonNode groups) {
        if (!groups.isArray() || groups.isEmpty()) {
            return;
        }
        Table t = new Table("ERROR CODE", "RUNS", "LAST HOUR", "LATEST MESSAGE").numeric(1, 2);
        for (JsonNode g : groups) {
            t.row(
                    g.path("error_code").asText(),
                    num(g.path("runs")),
                    num(g.path("last_hour")),
                    clip(g.path("sample").asText(""), 100));
        }
        out.append(title).append('\n').append(t.render("  "));
    }

    public static String tick(JsonNode t) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "tick %s in %s ms (instance %s): %s definitions scanned, %s runs planned, "
                        + "%s runs dispatched in %s requests, %s leases reaped, %s runs released, %s runs failed%n",
                t.path("status").asText("?"),
                t.path("duration_ms").asText("?"),
                t.path("instance").asText("?"),
                num(t.path("scanned")),
                num(t.path("slices_created")),
                num(t.path("jobs_dispatched")),
                num(t.path("dispatches")),
                num(t.path("reaped")),
                num(t.path("runs_released")),
                num(t.path("runs_failed"))));
        if (t.hasNonNull("gate") && !"closed".equals(t.path("gate").asText())) {
            out.append("  gate: ").append(t.path("gate").asText()).append('\n');
        }
        for (JsonNode e : t.path("errors")) {
            out.append("  error: ").append(e.asText()).append('\n');
        }
        return out.toString();
    }

    public static String enqueue(JsonNode e) {
        return String.format(
                        "definition %s created (id %s): %d symbols, %s, %s, priority %s; %s slices (%s ready now), "
                                + "%s runs; ticks plan them%n",
                        e.path("name").asText(),
                        e.path("id").asText(),
                        e.path("symbols").size(),
                        e.path("timeframe").asText(),
                        window(e.path("window_from"), e.path("window_to")),
                        e.path("priority").asText(),
                        num(e.path("slices")),
                        num(e.path("slices_ready")),
                        num(e.path("runs")))
                + skipped(e);
    }

    /** The tickers an {@code enqueue} with {@code on_unknown: skip} left out, one line each; empty when none. */
    public static String skipped(JsonNode enqueued) {
        StringBuilder out = new StringBuilder();
        for (JsonNode s : enqueued.path("skipped")) {
            out.append(String.format(
                    "skipped %s: %s%n",
                    s.path("symbol").asText(), s.path("reason").asText("")));
        }
        return out.toString();
    }

    public static String update(JsonNode u) {
        String action = u.path("action").asText("?");
        String what = switch (action) {
            case "cancel" -> "queued runs cancelled";
            case "refresh" -> "finished runs queued to be fetched again";
            default -> "failed runs queued again";
        };
        StringBuilder out = new StringBuilder(String.format("%s: %s %s", action, num(u.path("runs_changed")), what));
        if (u.hasNonNull("definition")) {
            out.append(" (definition ").append(u.path("definition").asText()).append(')');
        }
        if (u.path("definition_disabled").asBoolean(false)) {
            out.append("; the definition is disabled and plans nothing more");
        }
        return out.append('\n').toString();
    }

    /** What {@code remove} did, or with {@code dry_run} would do. */
    public static String remove(JsonNode r) {
        boolean dry = r.path("dry_run").asBoolean(false);
        String definition = r.path("definition").asText("?");
        StringBuilder out = new StringBuilder(
                dry ? "remove " + definition + " would: " : "remove: definition " + definition + " removed; ");
        out.append(String.format(
                "%s runs of its own cancelled, %s runs shared with other definitions kept",
                num(r.path("runs_cancelled")), num(r.path("runs_shared"))));
        if (r.hasNonNull("bars_deleted")) {
            out.append(String.format(
                    "; %s bars no other definition covers %s",
                    num(r.path("bars_deleted")), dry ? "to delete" : "deleted"));
        } else if (!dry) {
            out.append("; its bars are kept");
        }
        return out.append('\n').toString();
    }

    /** What {@code recount} found: nothing, or each counter that differed, as counted and as the runs are. */
    public static String recount(JsonNode r) {
        int drift = r.path("drift").asInt();
        if (drift == 0) {
            return "recount: the run counters equal the runs\n";
        }
        StringBuilder out = new StringBuilder(String.format(
                "recount: %d counters differed from the runs%s%n",
                drift, r.path("repaired").asBoolean(false) ? " and were repaired" : ""));
        Table t = new Table(
                        "DEFINITION", "STATUS", "RUNS COUNTED", "RUNS", "ROWS COUNTED", "ROWS", "BARS COUNTED", "BARS")
                .numeric(2, 3, 4, 5, 6, 7);
        for (JsonNode d : r.path("differences")) {
            t.row(
                    d.path("definition").asText("(all)"),
                    d.path("status").asText(),
                    num(d.path("counted_runs")),
                    num(d.path("actual_runs")),
                    num(d.path("counted_rows_written")),
                    num(d.path("actual_rows_written")),
                    num(d.path("counted_bars_fetched")),
                    num(d.path("actual_bars_fetched")));
        }
        return out.append(t.render("")).toString();
    }

    /** The audit's one-line summary, then the slices that need a look. */
    public static String audit(JsonNode a) {
        StringBuilder out = new StringBuilder(a.path("summary").asText()).append('\n');
        for (JsonNode f : a.path("findings")) {
            out.append(String.format(
                    "  %s %s [%s, %s): %s bars for %s sessions; %s unexplained sessions (%s unverified, %s provider "
                            + "holes), %s bars outside the session, %s duplicates%n",
                    f.path("symbol").asText(),
                    f.path("timeframe").asText(),
                    f.path("slice_from").asText(),
                    f.path("slice_to").asText(),
                    num(f.path("bars_stored")),
                    num(f.path("sessions_expected")),
                    num(f.path("unexplained_sessions")),
                    num(f.path("gaps").path("unverified")),
                    num(f.path("gaps").path("provider_holes")),
                    num(f.path("bars_outside_session")),
                    num(f.path("duplicates"))));
        }
        return out.toString();
    }

    /** The latest refresh of definition {@code name} in a status answer, in one line. */
    public static String refresh(JsonNode status, String name) {
        for (JsonNode d : status.path("definitions")) {
            if (name.equals(d.path("name").asText()) && d.hasNonNull("refresh")) {
                return "refresh " + name
                        + counts(
                                d.path("refresh"),
                                ": %s slices fetched again (%s still queued or running), %s bars changed%n",
                                "/runs",
                                "/pending",
                                "/bars_changed");
            }
        }
        return "refresh " + name + ": nothing to fetch again\n";
    }

    /** Runs of definition {@code name}'s latest refresh still queued or running, in a status answer. */
    public static long refreshPending(JsonNode status, String name) {
        for (JsonNode d : status.path("definitions")) {
            if (name.equals(d.path("name").asText())) {
                return d.path("refresh").path("pending").asLong(0);
            }
        }
        return 0;
    }

    /**
     * The completeness of some definitions of a status answer: sessions holding a bar of those expected, and of
     * the others those confirmed empty and those unexplained; the runs a verification healed.
     */
    public static String sessions(List<JsonNode> definitions) {
        long expected = 0, withBars = 0, verifiedEmpty = 0, unexplained = 0, healed = 0;
        for (JsonNode d : definitions) {
            JsonNode c = d.path("completeness");
            expected += c.path("sessions_expected").asLong();
            withBars += c.path("sessions_with_bars").asLong();
            verifiedEmpty += c.path("sessions_verified_empty").asLong();
            unexplained += c.path("sessions_unexplained").asLong();
            healed += c.path("runs_healed").asLong();
        }
        return num(withBars) + "/" + num(expected)
                + (expected == withBars
                        ? ""
                        : " (" + num(verifiedEmpty) + " verified empty, " + num(unexplained) + " unexplained)")
                + (healed == 0 ? "" : ", " + num(healed) + " runs healed");
    }

    static String window(JsonNode from, JsonNode to) {
        return from.asText("?") + " .. " + (to.isMissingNode() || to.isNull() ? "open" : to.asText());
    }

    /** {@code format} filled with the counts at the JSON pointers {@code at} of {@code node}. */
    private static String counts(JsonNode node, String format, String... at) {
        return String.format(format, Arrays.stream(at).map(p -> num(node.at(p))).toArray());
    }

    /** A count with thousands separators; blank when absent. */
    public static String num(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "" : num(n.asLong());
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
