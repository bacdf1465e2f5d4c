package io.barsbackfill.simulator;

/** A request the API refuses: answered with {@code status} and {@code {"message": ...}}. */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    int status() {
        return status;
    }
}
