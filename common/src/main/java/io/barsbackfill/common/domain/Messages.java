package io.barsbackfill.common.domain;

/** How outside text and failures appear in error messages and logs: bounded, never a stack trace. */
public final class Messages {

    private Messages() {}

    /** {@code text} cut to {@code max} characters and marked with {@code ...} when it was longer. */
    public static String clip(String text, int max) {
        if (text == null) {
            return "null";
        }
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    /** The first message along the cause chain, or the exception type when none has one. */
    public static String firstMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The innermost cause as {@code Type: message} (e.g. {@code ConnectException: Connection refused}). */
    public static String rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        return t.getClass().getSimpleName() + message;
    }
}
