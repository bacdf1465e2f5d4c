package io.barsbackfill.localstack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Local TCP ports for children: the usual one when it is free, otherwise any free one. */
public final class Ports {

    private final Set<Integer> handedOut = new HashSet<>();

    /** {@code preferred} if nobody listens there (and it was not handed out already), else a free port. */
    public synchronized int preferredOrFree(int preferred) {
        if (preferred > 0 && !handedOut.contains(preferred) && isFree(preferred)) {
            handedOut.add(preferred);
            return preferred;
        }
        return free();
    }

    /** A port nobody listens on now, never one this instance handed out before. */
    public synchronized int free() {
        for (int i = 0; i < 50; i++) {
            int port = ephemeral();
            if (handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free local port found");
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeral() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free local port", e);
        }
    }
}
