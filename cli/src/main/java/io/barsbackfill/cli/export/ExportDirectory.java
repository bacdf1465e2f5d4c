package io.barsbackfill.cli.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Where an export goes. Files are written into a hidden staging directory beside {@code --out} and moved into
 * place at the end, so a failed or interrupted export leaves no half-written {@code --out}. An existing
 * non-empty {@code --out} is refused; with {@code --force} it is replaced, but only when it holds an earlier
 * export and nothing else ({@value #SIDECAR} and {@code symbol=*} directories).
 */
public final class ExportDirectory {

    /** The export's description, next to its partitions. */
    public static final String SIDECAR = "_series.json";

    private final Path out;
    private final boolean force;
    private final Path staging;

    private ExportDirectory(Path out, boolean force, Path staging) {
        this.out = out;
        this.force = force;
        this.staging = staging;
    }

    /** Checks {@code out} and creates the staging directory; the message of a refusal names {@code --out}. */
    public static ExportDirectory prepare(Path out, boolean force) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        refusal(target, force).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        Path parent = target.getParent();
        Files.createDirectories(parent);
        // Not createTempDirectory: its mode is 700, and the export should get the user's usual permissions.
        Path staging = Files.createDirectory(parent.resolve("." + target.getFileName() + ".partial-"
                + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        return new ExportDirectory(target, force, staging);
    }

    /** Why {@code out} cannot take an export, if it cannot. */
    static Optional<String> refusal(Path out, boolean force) throws IOException {
        if (!Files.exists(out)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(out)) {
            return Optional.of("--out " + out + " is a file, not a directory");
        }
        boolean empty = true;
        boolean onlyAnExport = Files.isRegularFile(out.resolve(SIDECAR));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(out)) {
            for (Path entry : entries) {
                empty = false;
                String name = entry.getFileName().toString();
                boolean exported = name.equals(SIDECAR) || (name.startsWith("symbol=") && Files.isDirectory(entry));
                onlyAnExport &= exported;
            }
        }
        if (empty) {
            return Optional.empty();
        }
        if (!force) {
            return Optional.of("--out " + out + " is not empty (--force replaces an earlier export there)");
        }
        if (!onlyAnExport) {
            return Optional.of("--out " + out + " holds more than an earlier export (" + SIDECAR
                    + " and symbol=* directories): --force replaces only an export, remove the directory yourself");
        }
        return Optional.empty();
    }

    /** Where to write the files now. */
    public Path staging() {
        return staging;
    }

    /** Moves the written export to {@code --out}, replacing what {@link #prepare} allowed to replace. */
    public Path commit() throws IOException {
        Optional<String> reason = refusal(out, force); // again: something may have appeared meanwhile
        if (reason.isPresent()) {
            throw new IOException(reason.get());
        }
        if (Files.exists(out)) {
            delete(out);
        }
        Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    /** Removes the staging directory (after a failure). */
    public void discard() {
        try {
            if (Files.exists(staging)) {
                delete(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + staging, e);
        }
    }

    private static void delete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
