package io.barsbackfill.cli.stack;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Internal bearer tokens for a local deployment. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** 32 random bytes, hex: handed to the children through their environment only, never printed. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
