package io.barsbackfill.cli.command;

import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The address of the orchestrator that {@code start} or {@code demo} runs, kept in {@code <state dir>/orchestrator-url}
 * beside the token while that stack runs, so that the operator commands reach it even when it came up on another
 * port than 8080 (which another program held). Removed when the stack stops, including on Ctrl-C and SIGTERM.
 */
public final class OrchestratorAddress implements AutoCloseable {

    private final Path file;
    private final String url;
    private final Thread onExit;

    private OrchestratorAddress(Path file, String url) {
        this.file = file;
        this.url = url;
        this.onExit = new Thread(this::remove, "backfill-remove-orchestrator-url");
    }

    public static Path file(Layout layout) {
        return layout.stateDir().resolve("orchestrator-url");
    }

    /** Writes {@code url} to {@link #file}; {@link #close()} (or this JVM's exit) removes it. */
    public static OrchestratorAddress publish(Layout layout, URI url) {
        OrchestratorAddress address = new OrchestratorAddress(file(layout), url.toString());
        Tokens.write(address.file, address.url);
        Runtime.getRuntime().addShutdownHook(address.onExit);
        return address;
    }

    /** The address a running {@code start} or {@code demo} published, if any. */
    public static Optional<String> read(Layout layout) {
        return Tokens.read(file(layout));
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // shutting down: the hook removes the file
        }
        remove();
    }

    /** Deletes the file unless a later stack replaced it with its own address. */
    private void remove() {
        try {
            if (Tokens.read(file).filter(url::equals).isPresent()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: a stale address only makes the operator commands report an unreachable orchestrator
        }
    }
}
