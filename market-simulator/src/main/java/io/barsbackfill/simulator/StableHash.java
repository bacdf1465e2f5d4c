package io.barsbackfill.simulator;

import java.nio.charset.StandardCharsets;

/**
 * Platform-independent 64-bit hashing (FNV-1a, then the SplitMix64 finaliser). Synthetic data must not
 * depend on {@link String#hashCode()}-style details or on JVM state, only on these functions.
 */
final class StableHash {

    private StableHash() {}

    static long of(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** Combines a seed with further values into a new, well-spread hash. */
    static long of(long seed, long... values) {
        long h = mix(seed);
        for (long v : values) {
            h = mix(h ^ mix(v + 0x9e3779b97f4a7c15L));
        }
        return h;
    }

    /** Uniform in {@code [0, 1)}. */
    static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code [-1, 1)}. */
    static double signed(long hash) {
        return 2 * unit(hash) - 1;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
