package io.barsbackfill.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/**
 * Output of a command: ordinary lines, plus one live status line that is redrawn in place on a terminal and
 * printed every few seconds otherwise (logs, pipes, tests). Questions to the person at the terminal are read from
 * standard input, and only asked when it is one.
 */
public final class Console {

    private static final long NON_TTY_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final BufferedReader in;
    private final boolean interactive;
    private String live;
    private String lastPrinted;
    private long lastLivePrinted;

    /** A console that never asks: standard input is not a terminal. */
    public Console(PrintStream out, PrintStream err, boolean terminal) {
        this(out, err, terminal, InputStream.nullInputStream(), false);
    }

    /** {@code interactive}: {@code in} is a terminal, so a question can be answered. */
    public Console(PrintStream out, PrintStream err, boolean terminal, InputStream in, boolean interactive) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.in = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        this.interactive = interactive;
    }

    /** Whether standard input is a terminal, where a person can answer {@link #ask}. */
    public boolean interactive() {
        return interactive;
    }

    /** Prints {@code question} and answers the line typed (blank at the end of the input). */
    public synchronized String ask(String question) {
        clearLive();
        out.print(question);
        out.flush();
        try {
            String line = in.readLine();
            return line == null ? "" : line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public synchronized void line(String text) {
        clearLive();
        out.println(text);
        redrawLive();
        out.flush();
    }

    public synchronized void error(String text) {
        clearLive();
        out.flush();
        err.println(text);
        err.flush();
        redrawLive();
    }

    /** Updates the live line; {@code force} prints it even off a terminal (e.g. the final state). */
    public synchronized void live(String text, boolean force) {
        if (terminal) {
            clearLive();
            live = text;
            redrawLive();
            out.flush();
            return;
        }
        long now = System.nanoTime();
        if ((force && !text.equals(lastPrinted))
                || lastLivePrinted == 0
                || now - lastLivePrinted >= NON_TTY_INTERVAL_NANOS) {
            out.println(text);
            out.flush();
            lastPrinted = text;
            lastLivePrinted = now;
        }
    }

    /** Leaves the live line on screen as an ordinary line. */
    public synchronized void endLive() {
        if (terminal && live != null) {
            out.println();
            out.flush();
        }
        live = null;
    }

    private void clearLive() {
        if (terminal && live != null) {
            out.print("\r" + " ".repeat(live.length()) + "\r");
        }
    }

    private void redrawLive() {
        if (terminal && live != null) {
            out.print(live);
        }
    }
}
