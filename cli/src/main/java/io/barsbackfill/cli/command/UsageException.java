package io.barsbackfill.cli.command;

/** The command line is wrong: unknown command or flag, missing or malformed value. Exit 64 with the usage. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
